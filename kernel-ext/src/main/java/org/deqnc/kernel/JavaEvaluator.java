package org.deqnc.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Java cells through JShell, in process. Splits a cell into snippets, evaluates them in order, stops
 * at the first compile or run-time error and reports it the way a notebook user needs: the offending
 * line for a compile error, the user's exception class, message and own frames for a run-time error.
 */
final class JavaEvaluator implements AutoCloseable {

    /** Snippet kinds whose value is the cell's result, as in other notebook kernels. */
    private static final Set<Snippet.SubKind> VALUE_KINDS = EnumSet.of(
            Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND,
            Snippet.SubKind.VAR_VALUE_SUBKIND,
            Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);

    /** Frames that belong to the kernel or the JDK's reflection, never to the user's code. */
    private static final List<String> HIDDEN_FRAME_PREFIXES = List.of(
            "jdk.jshell.", "jdk.internal.", "java.lang.reflect.", "java.util.concurrent.",
            "org.dflib.jjava.", "org.deqnc.kernel.");

    /** Characters of the offending line a compile error shows. */
    private static final int SHOWN_LINE = 160;

    private final InterruptGate gate;
    private final InProcessExecutionControl exec;
    private final JShell shell;
    /** An empty folder, added to the class path to make JShell drop its compiler (see {@link #dropSessionBreaker}). */
    private Path compilerResetPath;

    JavaEvaluator(String classPath, List<String> startupImports, InterruptGate gate) {
        this.gate = gate;
        this.exec = new InProcessExecutionControl(gate);
        this.shell = JShell.builder().executionEngine(exec.provider(), java.util.Map.of()).build();
        if (classPath != null && !classPath.isBlank()) {
            shell.addToClasspath(classPath);
        }
        for (String imp : startupImports) {
            eval("import " + imp + ";");
        }
    }

    /** Evaluates a cell; returns the value of its last snippet if that is an expression, else null. */
    Object eval(String cell) {
        return closed(() -> evalSnippets(cell));
    }

    /** JShell is not thread-safe: every use goes through the gate's closed section (see {@link InterruptGate}). */
    private <T> T closed(java.util.concurrent.Callable<T> body) {
        try {
            return gate.closed(body);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Object evalSnippets(String cell) {
        String remaining = cell;
        int consumed = 0;
        Object last = null;
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == Completeness.EMPTY) {
                break;
            }
            int start = consumed + leadingWhitespace(remaining);
            if (!info.completeness().isComplete()) {
                throw compileError(cell, start, "incomplete statement: reached the end of the cell", List.of());
            }
            String source = info.source();
            consumed += remaining.length() - info.remaining().length();
            remaining = info.remaining();
            last = evalSnippet(cell, start, source);
        }
        return last;
    }

    private Object evalSnippet(String cell, int start, String source) {
        exec.takeLastValue();
        Object value = null;
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() != null) {
                continue; // a dependent snippet updated as a side effect
            }
            Snippet snippet = event.snippet();
            List<Diag> errors = event.status().isDefined() ? List.of()
                    : shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
            if (errors.stream().anyMatch(JavaEvaluator::isClassFileLimit)) {
                throw dropSessionBreaker(cell, start, snippet, errors);
            }
            if (event.status() == Snippet.Status.REJECTED) {
                String message = errors.isEmpty() ? "the snippet was rejected" : errors.get(0).getMessage(Locale.ROOT);
                int at = errors.isEmpty() ? 0 : (int) Math.max(0, errors.get(0).getStartPosition());
                throw compileError(cell, start + at, message, errors);
            }
            if (event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED && snippet instanceof DeclarationSnippet) {
                String missing = shell.unresolvedDependencies((DeclarationSnippet) snippet).collect(Collectors.joining(", "));
                throw compileError(cell, start, "cannot find symbol: " + missing, List.of());
            }
            if (event.exception() != null) {
                throw runtimeError(event.exception());
            }
            value = VALUE_KINDS.contains(snippet.subKind()) ? exec.takeLastValue() : null;
        }
        return value;
    }

    /** javac's "compiler.err.limit.*": a name, string, method or constant pool beyond what a class file can hold. */
    private static boolean isClassFileLimit(Diag d) {
        return d.getCode() != null && d.getCode().startsWith("compiler.err.limit.");
    }

    /**
     * A snippet that javac could check but not write as a class file leaves JShell's reused compiler
     * unable to write any later snippet ("cannot find symbol" everywhere, earlier variables out of
     * reach). Drop the snippet and make JShell start a fresh compiler (it does so whenever its class
     * path changes; the path added is already on it), so the session goes on as before the cell.
     */
    private CellError dropSessionBreaker(String cell, int start, Snippet snippet, List<Diag> errors) {
        shell.drop(snippet);
        shell.addToClasspath(compilerResetPath().toString());
        Diag limit = errors.stream().filter(JavaEvaluator::isClassFileLimit).findFirst().orElseThrow();
        String message = limit.getMessage(Locale.ROOT).lines().findFirst().orElse("");
        if (message.length() > 120) {
            message = message.substring(0, 100) + "… (" + message.length() + " characters)";
        }
        return compileError(cell, start + (int) Math.max(0, limit.getStartPosition()),
                message + " (a Java class-file limit); this statement was dropped, earlier variables are kept",
                List.of());
    }

    private Path compilerResetPath() {
        if (compilerResetPath == null) {
            try {
                compilerResetPath = Files.createTempDirectory("deq-jshell-reset");
                compilerResetPath.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return compilerResetPath;
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** "line N: <source line>" with a caret under the position, then the compiler's message. */
    static CellError compileError(String cell, int position, String message, List<Diag> diags) {
        String firstLine = message.lines().findFirst().orElse(message);
        int pos = Math.max(0, Math.min(position, cell.length()));
        int lineNo = (int) cell.substring(0, pos).chars().filter(c -> c == '\n').count() + 1;
        int lineStart = cell.lastIndexOf('\n', pos - 1) + 1;
        int lineEnd = cell.indexOf('\n', pos);
        int end = lineEnd < 0 ? cell.length() : lineEnd;
        // A long line is shown as a window around the position, so the report stays readable.
        int from = Math.max(lineStart, pos - SHOWN_LINE / 2);
        int to = Math.min(end, from + SHOWN_LINE);
        String line = (from > lineStart ? "…" : "") + cell.substring(from, to)
                + (to < end ? "… (line of " + (end - lineStart) + " characters)" : "");
        int caret = pos - from + (from > lineStart ? 1 : 0);
        List<String> tb = new ArrayList<>();
        tb.add("CompilationError: " + firstLine);
        tb.add("  line " + lineNo + ": " + line);
        tb.add("  " + " ".repeat(("line " + lineNo + ": ").length() + caret) + "^");
        message.lines().skip(1).forEach(l -> tb.add("  " + l));
        for (int i = 1; i < diags.size(); i++) {
            tb.add("  also: " + diags.get(i).getMessage(Locale.ROOT).lines().findFirst().orElse(""));
        }
        return new CellError("CompilationError", "line " + lineNo + ": " + firstLine, tb);
    }

    private static CellError runtimeError(JShellException e) {
        if (e instanceof UnresolvedReferenceException) {
            DeclarationSnippet s = ((UnresolvedReferenceException) e).getSnippet();
            String msg = "'" + s.name() + "' refers to something not defined yet";
            return new CellError("UnresolvedReference", msg, List.of("UnresolvedReference: " + msg));
        }
        String ename = simpleName(e instanceof EvalException ? ((EvalException) e).getExceptionClassName() : e.getClass().getName());
        String evalue = e.getMessage() == null ? "" : e.getMessage();
        List<String> tb = new ArrayList<>();
        Set<Throwable> seen = new LinkedHashSet<>();
        Throwable t = e;
        String prefix = "";
        while (t != null && seen.add(t)) {
            String name = t instanceof EvalException ? ((EvalException) t).getExceptionClassName() : t.getClass().getName();
            tb.add(prefix + simpleName(name) + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            for (StackTraceElement f : t.getStackTrace()) {
                if (HIDDEN_FRAME_PREFIXES.stream().noneMatch(f.getClassName()::startsWith)) {
                    tb.add("    at " + describe(f));
                }
            }
            t = t.getCause();
            prefix = "Caused by: ";
        }
        return new CellError(ename, evalue, tb);
    }

    /** JShell reports frames of notebook code with an empty class and a "#N" snippet file; show them as the cell. */
    private static String describe(StackTraceElement f) {
        if (f.getFileName() != null && f.getFileName().startsWith("#")) {
            String method = f.getMethodName().isEmpty() || f.getMethodName().startsWith("do_it$") ? "cell" : f.getMethodName();
            return method + " (cell line " + f.getLineNumber() + ")";
        }
        return f.toString();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    // ---------------------------------------------------------------- completion, inspection

    /** Start offset (in the cell) of the snippet that contains {@code cursor}. */
    private int snippetStart(String cell, int cursor) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        int start = 0;
        String remaining = cell;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            int end = cell.length() - info.remaining().length();
            if (!info.completeness().isComplete() || end >= cursor || info.remaining().equals(remaining)) {
                break;
            }
            start = end;
            remaining = info.remaining();
        }
        return start;
    }

    /** Completions at the cursor; {@code range} receives the [start, end) of the text they replace. */
    List<String> complete(String cell, int cursor, int[] range) {
        return closed(() -> completions(cell, cursor, range));
    }

    private List<String> completions(String cell, int cursor, int[] range) {
        int start = snippetStart(cell, cursor);
        String snippet = cell.substring(start, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(snippet, snippet.length(), anchor);
        range[0] = start + anchor[0];
        range[1] = cursor;
        boolean anyTypeMatch = suggestions.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
        return suggestions.stream()
                .filter(s -> !anyTypeMatch || s.matchesType())
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
    }

    /** Signatures (and javadoc where the JDK has sources) of what is under the cursor. */
    List<String> documentation(String cell, int cursor, boolean detail) {
        return closed(() -> docs(cell, cursor, detail));
    }

    private List<String> docs(String cell, int cursor, boolean detail) {
        int start = snippetStart(cell, cursor);
        String snippet = cell.substring(start);
        int at = Math.min(cursor - start, snippet.length());
        // JShell documents the call or name that ends at the cursor: extend over the identifier under it.
        while (at < snippet.length() && Character.isJavaIdentifierPart(snippet.charAt(at))) {
            at++;
        }
        String upToName = snippet.substring(0, at);
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(upToName, at, detail);
        if (docs.isEmpty()) {
            // JShell documents a method only once its call is opened: "Math.max" -> "Math.max(".
            docs = shell.sourceCodeAnalysis().documentation(upToName + "(", at + 1, detail);
        }
        return docs.stream()
                .map(d -> d.javadoc() == null || d.javadoc().isBlank() ? d.signature() : d.signature() + "\n\n" + d.javadoc())
                .collect(Collectors.toList());
    }

    /** Jupyter's is_complete: "complete", "invalid", or an indent for an unfinished statement. */
    String isComplete(String cell) {
        return closed(() -> completeness(cell));
    }

    private String completeness(String cell) {
        String remaining = cell;
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    return "complete";
                case UNKNOWN:
                    return "invalid";
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "    ";
                default:
                    remaining = info.remaining();
            }
        }
        return "complete";
    }

    @Override
    public void close() {
        shell.close();
    }
}
