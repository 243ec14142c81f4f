package org.deqnc.magic;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

import javax.lang.model.SourceVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Notebook values seen from magics, through the kernel's own evaluator (so it works in the bundled
 * kernel and in stock JJava): {@code ${expr}} interpolation in arguments, reading a variable named by
 * an argument, and defining a variable that holds a magic's result.
 */
public final class NotebookValues {

    /** Values on their way into a notebook variable, picked up by the generated declaration. */
    private static final Map<String, Object> HANDOFF = new ConcurrentHashMap<>();

    private NotebookValues() {
    }

    /**
     * Replaces every {@code ${expr}} in each argument by the value of the Java expression {@code expr}.
     * The kernels split arguments on spaces first, so the pieces of an expression with spaces
     * ({@code ${n * 10}}) are joined back before it is evaluated.
     */
    static List<String> interpolate(BaseKernel kernel, String magic, List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        StringBuilder pending = null;
        for (String a : args) {
            pending = pending == null ? new StringBuilder(a) : pending.append(' ').append(a);
            if (!hasUnclosedExpression(pending)) {
                out.add(interpolate(kernel, magic, pending.toString()));
                pending = null;
            }
        }
        if (pending != null) {
            out.add(interpolate(kernel, magic, pending.toString()));
        }
        return out;
    }

    private static boolean hasUnclosedExpression(CharSequence text) {
        String s = text.toString();
        int open = s.lastIndexOf("${");
        return open >= 0 && s.indexOf('}', open) < 0;
    }

    static String interpolate(BaseKernel kernel, String magic, String text) {
        int start = text.indexOf("${");
        if (start < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        while (start >= 0) {
            int end = text.indexOf('}', start + 2);
            if (end < 0) {
                throw new MagicException(magic, "unclosed ${ in '" + text + "'; write ${expression}");
            }
            String expr = text.substring(start + 2, end).trim();
            if (expr.isEmpty()) {
                throw new MagicException(magic, "empty ${} in '" + text + "'; write ${expression}");
            }
            b.append(text, from, start).append(evaluate(kernel, magic, "${" + expr + "}", expr));
            from = end + 1;
            start = text.indexOf("${", from);
        }
        return b.append(text.substring(from)).toString();
    }

    /** The value of notebook variable {@code name}, given as argument {@code argument} of {@code magic}. */
    static Object variable(BaseKernel kernel, String magic, String argument, String name) {
        requireIdentifier(magic, argument, name);
        return evaluate(kernel, magic, argument, name);
    }

    /** As {@link #variable}, checked against the accepted types (named in the error). */
    static Object variable(BaseKernel kernel, String magic, String argument, String name, Class<?>... accepted) {
        Object v = variable(kernel, magic, argument, name);
        for (Class<?> c : accepted) {
            if (c.isInstance(v)) {
                return v;
            }
        }
        String types = Arrays.stream(accepted).map(Class::getSimpleName).collect(Collectors.joining(", "));
        throw new MagicException(magic, argument + ": '" + name + "' is " + (v == null ? "null" : "a " + v.getClass().getSimpleName())
                + "; accepted: " + types);
    }

    /** Declares (or redeclares) notebook variable {@code name} of type {@code type} holding {@code value}. */
    static void define(BaseKernel kernel, String magic, String argument, String name, Class<?> type, Object value) {
        requireIdentifier(magic, argument, name);
        String key = name + "#" + System.identityHashCode(value);
        HANDOFF.put(key, value);
        try {
            kernel.evalRaw(type.getCanonicalName() + " " + name + " = (" + type.getCanonicalName()
                    + ") org.deqnc.magic.NotebookValues.take(\"" + key + "\");");
        } finally {
            HANDOFF.remove(key);
        }
    }

    /** Used by the declaration {@link #define} generates; not for notebook code. */
    public static Object take(String key) {
        return HANDOFF.remove(key);
    }

    /**
     * The VAR of a cell magic written {@code %%name VAR [mode]}: the arguments are VAR alone or VAR and one of
     * {@code modes}, and VAR is a notebook variable name.
     */
    static String variableAndMode(String magic, List<String> args, List<String> modes) {
        if (args.isEmpty() || args.size() > 2 || (args.size() == 2 && !modes.contains(args.get(1)))) {
            throw new MagicException(magic, "expected VAR [" + String.join("|", modes) + "], got '"
                    + String.join(" ", args) + "'");
        }
        requireIdentifier(magic, "VAR", args.get(0));
        return args.get(0);
    }

    static void requireIdentifier(String magic, String argument, String name) {
        if (!SourceVersion.isName(name) || name.contains(".")) {
            throw new MagicException(magic, argument + ": expected a notebook variable name (a Java identifier), got '" + name + "'");
        }
    }

    private static Object evaluate(BaseKernel kernel, String magic, String what, String expr) {
        try {
            return kernel.evalRaw(expr);
        } catch (MagicException e) {
            throw e;
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new MagicException(magic, what + ": cannot evaluate '" + expr + "': " + m.lines().findFirst().orElse(m));
        }
    }
}
