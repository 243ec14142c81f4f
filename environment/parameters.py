"""Papermill-style parameters for Java notebooks.

The cell tagged `parameters` holds the defaults as Java declarations (`int K = 10;`, `double E_H = 5, E_W = 1;`,
`String[] names = {...};`). `declarations()` reads them; `injected_cell()` writes the cell tagged
`injected-parameters` that follows it, re-declaring each overridden name with a Java literal of the declared type.
Values come typed from a YAML file or as text from the command line (`-p NAME VALUE`); both are converted to the
declared type here, so a wrong value is a one-line error before any kernel starts.
"""
import json
import re

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"

# Names the runner sets itself: the profile comes from --profile (DEQNC_PROFILE), and what a notebook derives
# from it (`boolean full = profile.equals("full")`) is not a parameter of its own.
PROFILE_NAME = "profile"


class ParameterError(ValueError):
    """A parameter that cannot be injected; the message is one line."""


def _literal_end(source, i):
    """If a string, text block, character literal or comment starts at `i`, the index just after it; else None."""
    n = len(source)
    if source.startswith('"""', i):
        end = source.find('"""', i + 3)
        while end != -1 and source[end - 1] == "\\":
            end = source.find('"""', end + 1)
        return n if end == -1 else end + 3
    if source[i] in "\"'":
        j = i + 1
        while j < n and source[j] != source[i]:
            j += 2 if source[j] == "\\" else 1
        return min(j + 1, n)
    if source.startswith("//", i):
        end = source.find("\n", i)
        return n if end == -1 else end
    if source.startswith("/*", i):
        end = source.find("*/", i + 2)
        return n if end == -1 else end + 2
    return None


def _scan(source):
    """Yields (index, character, bracket depth) for the code outside literals and comments; a closing bracket
    has the depth it closes to."""
    depth, i = 0, 0
    while i < len(source):
        end = _literal_end(source, i)
        if end is not None:
            i = end
            continue
        c = source[i]
        if c in ")]}":
            depth -= 1
        yield i, c, depth
        if c in "([{":
            depth += 1
        i += 1


def _code_spans(source):
    """Yields (start, end) of the source's top-level statements: split at ';' outside literals, comments and
    brackets, and after the closing brace of a block statement (`if (...) { ... }`)."""
    start = 0
    for i, c, depth in _scan(source):
        if depth == 0 and (c == ";" or (c == "}" and _starts_block(source[start:i]))):
            yield start, i + (c == "}")
            start = i + 1
    if source[start:].strip():
        yield start, len(source)


def _starts_block(text):
    return re.match(r"\s*(if|for|while|switch|try|do|else|synchronized)\b", _strip_comments(text)) is not None


def _strip_comments(text):
    out, i = [], 0
    while i < len(text):
        end = _literal_end(text, i)
        if end is None:
            out.append(text[i])
            end = i + 1
        elif not text.startswith(("//", "/*"), i):
            out.append(text[i:end])
        i = end
    return "".join(out)


def _split_top_level(text, sep=","):
    """Splits at `sep` outside literals and brackets."""
    parts, start = [], 0
    for i, c, depth in _scan(text):
        if c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


_TYPE = r"(?:final\s+)?(?P<type>[A-Za-z_][\w.]*(?:\s*<[^=;]*?>)?(?:\s*\[\s*\])*)"
_DECLARATION = re.compile(r"^\s*" + _TYPE + r"\s+(?P<rest>[A-Za-z_]\w*\s*(?:=|$).*)$", re.S)
_NOT_TYPES = {"return", "throw", "new", "if", "else", "for", "while", "do", "switch", "case", "try", "catch",
              "import", "package", "assert", "break", "continue", "yield"}


class Declaration:
    """One declared parameter: its Java type, name and the default's source text."""

    def __init__(self, java_type, name, default):
        self.java_type = re.sub(r"\s+", "", java_type)
        self.name = name
        self.default = default

    def __repr__(self):
        return f"{self.java_type} {self.name} = {self.default}"

    @property
    def derived_from_profile(self):
        return self.name == PROFILE_NAME or re.search(r"\b(profile|System\.getenv)\b", self.default) is not None


def declarations(source):
    """The variables the parameters cell declares at top level, in order (a dict name -> Declaration)."""
    found = {}
    for start, end in _code_spans(source):
        statement = _strip_comments(source[start:end]).strip()
        m = _DECLARATION.match(statement)
        if not m or m.group("type").split("<")[0] in _NOT_TYPES or "(" in m.group("type"):
            continue
        java_type = m.group("type")
        for declarator in _split_top_level(m.group("rest")):
            name, eq, default = declarator.partition("=")
            name = name.strip()
            if re.fullmatch(r"[A-Za-z_]\w*", name):
                found[name] = Declaration(java_type, name, default.strip() if eq else "")
    return found


def parameters_cell_index(nb):
    """The index of the cell tagged `parameters`, or None."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.metadata.get("tags", []):
            return i
    return None


def accepted(decls):
    """The names a run may override: every declared parameter except the profile and what derives from it."""
    return [d.name for d in decls.values() if not d.derived_from_profile]


def check_names(notebook, decls, values):
    """A one-line ParameterError for the first name the notebook does not accept."""
    names = accepted(decls)
    for name in values:
        if name == PROFILE_NAME or (name in decls and decls[name].derived_from_profile):
            raise ParameterError(f"{notebook}: parameter '{name}' follows the profile; choose it with --profile "
                                 f"quick|full|paper instead (accepted names: {', '.join(names) or 'none'})")
        if name not in names:
            raise ParameterError(f"{notebook}: unknown parameter '{name}'; accepted names: {', '.join(names) or 'none (the notebook has no cell tagged parameters)'}")


# --- Java literals --------------------------------------------------------------------------------------------

_INTEGRAL = {"int": (32, ""), "Integer": (32, ""), "long": (64, "L"), "Long": (64, "L"),
             "short": (16, ""), "Short": (16, ""), "byte": (8, ""), "Byte": (8, "")}
_FLOATING = {"double": "", "Double": "", "float": "f", "Float": "f"}
_BOOLEAN = {"boolean", "Boolean"}
_STRING = {"String", "CharSequence"}


def java_string(text):
    """A Java string literal for `text`: quotes, backslashes and control characters escaped, every non-ASCII
    character as a \\uXXXX escape (surrogate pairs for characters beyond the BMP), so the cell survives any
    source encoding."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    out.append('"')
    return "".join(out)


def _element_type(java_type):
    """(kind, element type) for an array `T[]` or a `List<T>`/`Set<T>`/`Collection<T>`; (None, None) otherwise."""
    if java_type.endswith("[]"):
        return "array", java_type[:-2]
    m = re.fullmatch(r"(?:java\.util\.)?(List|Collection|Iterable|Set)<(.+)>", java_type)
    if m:
        return m.group(1), m.group(2)
    return None, None


def _from_text(java_type, text):
    """A command-line value (always text) as the Python value of `java_type`."""
    kind, element = _element_type(java_type)
    if kind:
        body = text.strip()
        if body.startswith("[") and body.endswith("]"):
            body = body[1:-1]
        items = [] if not body.strip() else [x.strip() for x in body.split(",")]
        if element in _STRING:
            items = [x[1:-1] if len(x) >= 2 and x[0] == x[-1] and x[0] in "\"'" else x for x in items]
        return [_from_text(element, x) if element not in _STRING else x for x in items]
    if java_type in _INTEGRAL:
        try:
            return int(text.strip().rstrip("lL").replace("_", ""))
        except ValueError:
            raise ParameterError(f"not an integer: '{text}'") from None
    if java_type in _FLOATING:
        try:
            return float(text.strip().rstrip("dDfF"))
        except ValueError:
            raise ParameterError(f"not a number: '{text}'") from None
    if java_type in _BOOLEAN:
        if text.strip().lower() in ("true", "false"):
            return text.strip().lower() == "true"
        raise ParameterError(f"not a boolean: '{text}' (accepted: true, false)")
    return text


def java_literal(java_type, value):
    """The Java source of `value` as a literal of `java_type` (a ParameterError if it is not one)."""
    if java_type == "var":
        java_type = _inferred_type(value)
    kind, element = _element_type(java_type)
    if kind:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise ParameterError(f"expected a list for {java_type}, got {json.dumps(value, ensure_ascii=False)}")
        items = ", ".join(java_literal(element, v) for v in value)
        if kind == "array":
            return f"new {element}[] {{{items}}}"
        return f"{'Set' if kind == 'Set' else 'List'}.of({items})"
    if java_type in _BOOLEAN:
        if not isinstance(value, bool):
            raise ParameterError(f"expected true or false for {java_type}, got {json.dumps(value, ensure_ascii=False)}")
        return "true" if value else "false"
    if java_type in _INTEGRAL:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"expected an integer for {java_type}, got {json.dumps(value, ensure_ascii=False)}")
        bits, suffix = _INTEGRAL[java_type]
        if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
            raise ParameterError(f"{value} does not fit in a Java {java_type}")
        literal = f"{value}{suffix}"
        return f"({java_type.lower()}) {literal}" if bits < 32 else literal
    if java_type in _FLOATING:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(f"expected a number for {java_type}, got {json.dumps(value, ensure_ascii=False)}")
        v = float(value)
        suffix = _FLOATING[java_type]
        if v != v:
            return "Double.NaN" if not suffix else "Float.NaN"
        if v in (float("inf"), float("-inf")):
            return ("" if v > 0 else "-") + ("Double" if not suffix else "Float") + ".POSITIVE_INFINITY"
        return repr(v) + suffix
    if java_type in _STRING:
        if not isinstance(value, str):
            raise ParameterError(f"expected a string for {java_type}, got {json.dumps(value, ensure_ascii=False)}")
        return java_string(value)
    if java_type in ("char", "Character"):
        if not isinstance(value, str) or len(value) != 1:
            raise ParameterError(f"expected one character for {java_type}, got {json.dumps(value, ensure_ascii=False)}")
        return "'" + java_string(value)[1:-1].replace("\\\"", "\"").replace("'", "\\'") + "'"
    # Any other declared type: an enum constant named by the value (KernelInputs.Tau0 -> KernelInputs.Tau0.COVARIANCE).
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z_]\w*", value):
        return f"{java_type}.{value}"
    raise ParameterError(f"cannot write {json.dumps(value, ensure_ascii=False)} as a Java {java_type} "
                         "(accepted: numbers, booleans, strings, lists of them, enum constant names)")


def _inferred_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int" if -(1 << 31) <= value < (1 << 31) else "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "String"
    if isinstance(value, (list, tuple)) and value:
        return f"List<{_boxed(_inferred_type(value[0]))}>"
    raise ParameterError(f"cannot infer a Java type for {json.dumps(value)}")


def _boxed(t):
    return {"int": "Integer", "long": "Long", "double": "Double", "boolean": "Boolean"}.get(t, t)


def typed_values(notebook, decls, values, from_text):
    """Checks the names and converts each value to its declared type; returns {name: Python value}.

    `from_text` names the values that came from the command line as text (converted here); the others came typed
    (a YAML file) and are checked. Raises ParameterError (one line, naming the notebook and parameter)."""
    check_names(notebook, decls, values)
    typed = {}
    for name, value in values.items():
        java_type = decls[name].java_type
        try:
            v = _from_text(java_type, value) if name in from_text and isinstance(value, str) else value
            if java_type in _FLOATING and isinstance(v, int) and not isinstance(v, bool):
                v = float(v)
            java_literal(java_type, v)  # raises if it is not a value of that type
        except ParameterError as e:
            raise ParameterError(f"{notebook}: parameter '{name}' ({java_type}): {e}") from None
        typed[name] = v
    return typed


def injected_source(decls, typed):
    """The Java source of the injected-parameters cell: one declaration per overridden name, in the order
    the parameters cell declares them."""
    lines = ["// Parameters injected by environment/reproduce.sh (they override the defaults above)"]
    for name, decl in decls.items():
        if name in typed:
            lines.append(f"{decl.java_type} {name} = {java_literal(decl.java_type, typed[name])};")
    return "\n".join(lines)


def literal_default(decl):
    """The default as a Python value when the parameters cell writes it as a plain literal; None otherwise
    (an expression such as `full ? 12 : 6` is known only to the kernel)."""
    text = decl.default.strip()
    if re.fullmatch(r"-?\d[\d_]*[lL]?", text):
        return int(text.rstrip("lL").replace("_", ""))
    if re.fullmatch(r"-?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?[dDfF]?", text):
        return float(text.rstrip("dDfF").replace("_", ""))
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r'"([^"\\]|\\.)*"', text):
        try:
            return json.loads(text)
        except ValueError:
            return None
    return None
