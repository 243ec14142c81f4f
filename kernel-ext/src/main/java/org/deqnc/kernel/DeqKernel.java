package org.deqnc.kernel;

import org.deqnc.config.DidYouMean;
import org.deqnc.magic.MagicArgs;
import org.deqnc.magic.MagicCatalog;
import org.deqnc.magic.MagicException;
import org.deqnc.magic.MagicSpec;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The bundled {@code java-deq} kernel: Java cells through an in-process JShell, magic-only cells
 * dispatched straight to the magics registry (no compile step), errors reported as the user's own
 * exception with only the user's frames, and cooperative interrupts. Extensions, the project's
 * {@code DeqNcExtension} included, are found through jjava-jupyter's {@code Extension} service.
 */
public final class DeqKernel extends BaseKernel {

    /** Imported into every notebook before the first cell. */
    public static final List<String> DEFAULT_IMPORTS = List.of(
            "java.util.*",
            "java.util.function.*",
            "java.util.stream.*",
            "java.nio.file.*",
            "static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*",
            "static org.deqnc.kernel.Notebook.*");

    /** JShell, completed by {@link #startJava()}'s thread. */
    private final CompletableFuture<JavaEvaluator> java = new CompletableFuture<>();
    private final AtomicBoolean javaStarted = new AtomicBoolean();
    private final Object onlineLock = new Object();
    /** What {@link #whenOnline} keeps until {@link #online()}; null once the kernel is online. */
    private List<Runnable> untilOnline = new ArrayList<>();
    private final CellWorker worker = new CellWorker();
    private final InMemoryHistory history;
    private volatile ShellReplyEnvironment currentEnv;
    private final List<Consumer<DisplayData>> displayListeners = new CopyOnWriteArrayList<>();

    private DeqKernel(Builder b, InMemoryHistory history, MagicsRegistry registry) {
        super(b.kernelName(), b.kernelVersion(), languageInfo(), List.of(),
                history, b.io(), b.comms(), b.renderer(),
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", b.transpiler()), registry,
                b.extensions(), b.styler());
        this.history = history;
        whenOnline(this::startJava);
    }

    /**
     * Runs {@code task} once the kernel is online (every channel bound: {@link #online()}), or now if it already is.
     * For background work that only prepares what a later cell needs, such as JShell's start and the engine's first
     * load: on a 2-core machine, started beside the binding of the channels, those two made the kernel's start (what a
     * front end waits for before it can run anything) about twice as long (docs/performance.md, the kernel's start).
     */
    public void whenOnline(Runnable task) {
        synchronized (onlineLock) {
            if (untilOnline != null) {
                untilOnline.add(task);
                return;
            }
        }
        task.run();
    }

    /** Called by the connection once its channels are bound: runs, in order, what {@link #whenOnline} kept. */
    void online() {
        List<Runnable> tasks;
        synchronized (onlineLock) {
            tasks = untilOnline == null ? List.of() : untilOnline;
            untilOnline = null;
        }
        tasks.forEach(Runnable::run);
    }

    /** Whether JShell's start has begun (see {@link #startJava()}). */
    boolean javaStarted() {
        return javaStarted.get();
    }

    /** Starts JShell (~0.5 s) on a daemon thread, once: when the kernel is online, or at its first use before that. */
    private void startJava() {
        if (!javaStarted.compareAndSet(false, true)) {
            return;
        }
        String classPath = System.getProperty("java.class.path");
        Thread t = new Thread(() -> {
            try {
                java.complete(new JavaEvaluator(classPath, DEFAULT_IMPORTS, worker.gate()));
            } catch (RuntimeException | Error e) {
                java.completeExceptionally(e);
            }
        }, "deq-jshell-init");
        t.setDaemon(true);
        t.start();
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".java", "java", "java", "script");
    }

    public static Builder builder() {
        return new Builder();
    }

    JavaEvaluator java() {
        startJava();
        try {
            return java.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("JShell could not start: " + e.getCause(), e.getCause());
        }
    }

    // ------------------------------------------------------------------ evaluation

    @Override
    public Object evalRaw(String source) {
        try {
            return worker.run(() -> dispatch(source));
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw unexpected(e);
        }
    }

    @Override
    public DisplayData eval(String source) {
        try {
            return super.eval(source);
        } catch (CellError e) {
            rememberForReply(e);
            throw e;
        } catch (RuntimeException e) {
            // A renderer failed on a valid result: still one readable line.
            CellError ce = unexpected(e);
            rememberForReply(ce);
            throw ce;
        } finally {
            // What the cell printed goes out before its result or error.
            System.out.flush();
            System.err.flush();
        }
    }

    private void rememberForReply(CellError e) {
        ShellReplyEnvironment env = currentEnv;
        if (env instanceof KernelReplyEnvironment) {
            ((KernelReplyEnvironment) env).cellError(e);
        }
    }

    private Object dispatch(String source) throws Exception {
        String s = source.strip();
        if (s.startsWith("%%")) {
            int nl = s.indexOf('\n');
            String head = nl < 0 ? s : s.substring(0, nl);
            String body = nl < 0 ? "" : s.substring(nl + 1);
            String[] nameAndArgs = nameAndArgs(MagicSpec.Kind.CELL, head.substring(2));
            return runMagic(MagicSpec.Kind.CELL, nameAndArgs, body);
        }
        if (isMagicOnly(s)) {
            Object last = null;
            for (String line : (Iterable<String>) s.lines()::iterator) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("//")) {
                    continue;
                }
                last = runMagic(MagicSpec.Kind.LINE, nameAndArgs(MagicSpec.Kind.LINE, l.substring(1)), null);
            }
            return last;
        }
        // Waiting for JShell to start (the first cell) holds the interrupt back like a compile does.
        return worker.gate().heldBack(this::java).eval(magicParser.resolveMagics(source));
    }

    /** The magic's name and the rest of the line; "% deq" is refused rather than read as "%deq". */
    private static String[] nameAndArgs(MagicSpec.Kind kind, String afterPrefix) {
        if (afterPrefix.isEmpty() || Character.isWhitespace(afterPrefix.charAt(0))) {
            String msg = kind.prefix + ": the magic's name must follow " + kind.prefix + " directly, e.g. " + kind.prefix
                    + "help; got '" + CellError.bounded(kind.prefix + afterPrefix).strip() + "'";
            throw new CellError("UsageError", msg, List.of("UsageError: " + msg));
        }
        return afterPrefix.strip().split("\\s+", 2);
    }

    /** Every line is a line magic, a comment or blank: run them directly, without JShell. */
    private static boolean isMagicOnly(String s) {
        return s.startsWith("%") && s.lines().map(String::strip)
                .allMatch(l -> l.isEmpty() || l.startsWith("//") || (l.startsWith("%") && !l.startsWith("%%")));
    }

    private Object runMagic(MagicSpec.Kind kind, String[] nameAndArgs, String body) throws Exception {
        String name = nameAndArgs[0];
        String invocation = kind.prefix + name;
        List<String> args;
        try {
            args = nameAndArgs.length > 1 ? MagicArgs.split(nameAndArgs[1]) : List.of();
        } catch (IllegalArgumentException e) {
            throw magicError(new MagicException(invocation, e));
        }
        try {
            return kind == MagicSpec.Kind.CELL
                    ? magicsRegistry.evalCellMagic(this, name, args, body)
                    : magicsRegistry.evalLineMagic(this, name, args);
        } catch (UndefinedMagicException e) {
            throw unknownMagic(kind, name);
        } catch (MagicException e) {
            throw magicError(e);
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw magicError(new MagicException(invocation, e));
        } catch (OutOfMemoryError e) {
            // What was allocated is garbage now; the kernel and its variables go on.
            String msg = String.format(Locale.ROOT, "%s: out of memory (%s): the arguments ask for more "
                    + "than the kernel's heap of %d MiB; use smaller sizes, or raise DEQNC_KERNEL_HEAP (docs/kernel.md)",
                    invocation, e.getMessage(), Runtime.getRuntime().maxMemory() >> 20);
            throw new CellError("OutOfMemoryError", msg, List.of("OutOfMemoryError: " + msg));
        }
    }

    private CellError unknownMagic(MagicSpec.Kind kind, String name) {
        Set<String> names = new TreeSet<>(kind == MagicSpec.Kind.CELL
                ? magicsRegistry.getCellMagicNames() : magicsRegistry.getLineMagicNames());
        String hint = DidYouMean.hint(name, names);
        String msg = kind.prefix + name + ": unknown " + (kind == MagicSpec.Kind.CELL ? "cell" : "line")
                + " magic" + hint + "; accepted: " + String.join(", ", names) + " — see %help";
        return new CellError("UnknownMagic", msg, List.of("UnknownMagic: " + msg));
    }

    private static CellError magicError(MagicException e) {
        return new CellError(e.kind(), e.getMessage(), List.of(e.kind() + ": " + e.getMessage()));
    }

    private static CellError unexpected(Exception e) {
        String name = e.getClass().getSimpleName();
        String msg = e.getMessage() == null ? "" : e.getMessage();
        List<String> tb = new ArrayList<>();
        tb.add(name + (msg.isEmpty() ? "" : ": " + msg));
        for (StackTraceElement f : e.getStackTrace()) {
            if (!f.getClassName().startsWith("org.dflib.") && !f.getClassName().startsWith("org.deqnc.kernel.")) {
                tb.add("    at " + f);
            }
        }
        return new CellError(name, msg, tb);
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellError) {
            return errorStyler == null ? ((CellError) e).traceback() : styled(((CellError) e).traceback());
        }
        return super.formatError(e);
    }

    private List<String> styled(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.add(i == 0 ? errorStyler.primary(lines.get(i)) : errorStyler.secondary(lines.get(i)));
        }
        return out;
    }

    /** The cell's System.out/err, batched (see {@link CoalescingOutputStream}); flushed when the cell ends. */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        super.replaceOutputStreams(env);
        CoalescingOutputStream out = new CoalescingOutputStream(System.out);
        CoalescingOutputStream err = new CoalescingOutputStream(System.err);
        // No autoflush: PrintStream would flush on every print and defeat the batching.
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, false, StandardCharsets.UTF_8));
        cellStreams = List.of(out, err);
    }

    private volatile List<CoalescingOutputStream> cellStreams = List.of();

    private void flushCellStreams() {
        cellStreams.forEach(CoalescingOutputStream::close);
        cellStreams = List.of();
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        int count = executionCount.get();
        if (env instanceof KernelReplyEnvironment) {
            ((KernelReplyEnvironment) env).executionCount(count);
        }
        if (message.getContent().shouldStoreHistory()) {
            history.add(count, message.getContent().getCode());
        }
        currentEnv = env;
        try {
            super.handleExecuteRequest(env, message);
        } finally {
            flushCellStreams();
            currentEnv = null;
        }
    }

    /** Sends the bundle to the notebook, and to any listener (in-process tests see what a user would). */
    @Override
    public void display(DisplayData data) {
        super.display(data);
        displayListeners.forEach(l -> l.accept(data));
    }

    public void addDisplayListener(Consumer<DisplayData> listener) {
        displayListeners.add(listener);
    }

    public void removeDisplayListener(Consumer<DisplayData> listener) {
        displayListeners.remove(listener);
    }

    void recordOutput(PublishExecuteResult result) {
        Object text = result.getData(MIMEType.TEXT_PLAIN);
        history.setOutput(result.getCount(), text == null ? "" : text.toString());
    }

    /** Clears the running cell's output now, or (wait) just before its next output arrives. */
    public void clearOutput(boolean wait) {
        ShellReplyEnvironment env = currentEnv;
        if (env != null) {
            env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    @Override
    public void interrupt() {
        worker.interrupt();
    }

    // ------------------------------------------------------------------ editor support

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        String line = code.substring(lineStart, at);
        if (line.stripLeading().startsWith("%")) {
            String typed = line.stripLeading();
            boolean cell = typed.startsWith("%%");
            Set<String> registered = cell ? magicsRegistry.getCellMagicNames() : magicsRegistry.getLineMagicNames();
            List<String> options = MagicCatalog.standard().complete(typed, registered);
            int tokenStart = Math.max(line.lastIndexOf(' '), line.lastIndexOf('%')) + 1;
            return new ReplacementOptions(options, lineStart + tokenStart, at);
        }
        int[] range = new int[2];
        List<String> options = java().complete(magicParser.resolveMagics(code.substring(0, at)), at, range);
        return new ReplacementOptions(options, range[0], range[1]);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        int lineEnd = code.indexOf('\n', at);
        String line = code.substring(lineStart, lineEnd < 0 ? code.length() : lineEnd).strip();
        if (line.startsWith("%")) {
            String name = line.split("\\s+", 2)[0];
            MagicSpec.Kind kind = name.startsWith("%%") ? MagicSpec.Kind.CELL : MagicSpec.Kind.LINE;
            return MagicCatalog.standard().find(kind, name.replaceFirst("^%%?", ""))
                    .map(s -> new DisplayData(s.invocation() + " — " + s.summary() + "\n\nSyntax: " + s.syntax() + "\n\n" + s.help()))
                    .orElse(null);
        }
        List<String> docs = java().documentation(code, at, extraDetail);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public String isComplete(String code) {
        String s = code.strip();
        if (s.startsWith("%%") || isMagicOnly(s)) {
            return IS_COMPLETE_YES;
        }
        return java().isComplete(magicParser.resolveMagics(code));
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        worker.shutdown();
        if (java.isDone() && !java.isCompletedExceptionally()) {
            java.join().close();
        }
    }

    /** Builds the kernel from jjava-jupyter's default parts (IO, renderer, comms, magics registry). */
    public static final class Builder extends BaseKernelBuilder<Builder, DeqKernel> {

        private Builder() {
            name("java-deq");
            version(Builder.class.getPackage().getImplementationVersion() == null
                    ? "dev" : Builder.class.getPackage().getImplementationVersion());
        }

        @Override
        public DeqKernel build() {
            return new DeqKernel(this, new InMemoryHistory(), buildMagicsRegistry());
        }

        String kernelName() {
            return buildName();
        }

        String kernelVersion() {
            return buildVersion();
        }

        JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        CommManager comms() {
            return buildCommManager();
        }

        Renderer renderer() {
            return buildRenderer();
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler transpiler() {
            return buildMagicTranspiler();
        }

        boolean extensions() {
            return buildExtensionsEnabled();
        }

        StringStyler styler() {
            return buildErrorStyler();
        }
    }
}
