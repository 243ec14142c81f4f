package org.deqnc.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel in process: evaluation, errors, magics dispatch, completion, interrupt. */
class DeqKernelTest {

    static KernelHarness nb;
    static DeqKernel kernel;

    @BeforeAll
    static void start() {
        nb = new KernelHarness();
        kernel = nb.kernel();
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    static String text(DisplayData d) {
        return KernelHarness.text(d);
    }

    static List<DisplayData> displayed(String code) {
        return nb.displayed(code);
    }

    @Test
    void javaCellReturnsTheLastExpressionAndKeepsState() {
        assertNull(kernel.eval("int answer = 21 * 2;"));
        assertEquals("42", text(kernel.eval("answer")));
        assertEquals("43", text(kernel.eval("int next = answer + 1;\nnext")));
        assertNull(kernel.eval("System.out.print(\"\");"), "a statement has no value");
    }

    @Test
    void realResultObjectsReachTheRenderer() {
        Object raw = kernel.evalRaw("List.of(1, 2, 3)");
        assertEquals(List.of(1, 2, 3), raw);
    }

    @Test
    void compileErrorShowsTheOffendingLine() {
        CellError e = assertThrows(CellError.class, () -> kernel.eval("int a = 1;\nString s = a;"));
        assertEquals("CompilationError", e.ename());
        assertTrue(e.evalue().startsWith("line 2: incompatible types"), e.evalue());
        assertTrue(e.traceback().contains("  line 2: String s = a;"), e.traceback().toString());
    }

    @Test
    void runtimeErrorNamesTheUserExceptionWithoutKernelFrames() {
        kernel.eval("void fail(String why) { throw new IllegalStateException(why); }");
        CellError e = assertThrows(CellError.class, () -> kernel.eval("fail(\"solver diverged\");"));
        assertEquals("IllegalStateException", e.ename());
        assertEquals("solver diverged", e.evalue());
        assertEquals("IllegalStateException: solver diverged", e.traceback().get(0));
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("fail (cell line")), e.traceback().toString());
        assertFalse(e.traceback().stream().anyMatch(l -> l.contains("jdk.jshell") || l.contains("org.deqnc.kernel")
                || l.contains("org.dflib")), e.traceback().toString());
    }

    @Test
    void errorsLoseNothingComputedBefore() {
        kernel.eval("double kept = Math.sqrt(2);");
        assertThrows(CellError.class, () -> kernel.eval("kept = 1; throw new RuntimeException(\"x\");"));
        assertEquals("1.0", text(kernel.eval("kept")));
    }

    @Test
    void importsInALaterCellKeepEveryVariable() {
        // Two on-demand imports in one cell made JShell recompile the variables and reset them to null and 0.
        kernel.eval("String dir = \"out/tables\"; int count = 7; Runnable task = () -> {}; "
                + "record Pair(int a, int b) {}\nPair pair = new Pair(1, 2);");
        kernel.eval("import org.deqnc.chart.*;\nimport tech.tablesaw.api.*;");
        assertEquals("out/tables 7 true Pair[a=1, b=2]",
                text(kernel.eval("dir + \" \" + count + \" \" + (task != null) + \" \" + pair")));
        assertEquals("3", text(kernel.eval("pair.a() + pair.b()")));
    }

    @Test
    void aDeclarationEnteredAgainRunsAgain() {
        kernel.eval("java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();");
        kernel.eval("int ticket = calls.incrementAndGet();");
        kernel.eval("int ticket = calls.incrementAndGet();"); // the same source, so the same class bytes
        assertEquals("2 2", text(kernel.eval("ticket + \" \" + calls.get()")));
        kernel.eval("String handed = String.valueOf(calls.incrementAndGet());"); // as a magic's VAR: same shape, new value
        kernel.eval("String handed = String.valueOf(calls.incrementAndGet() * 10);");
        assertEquals("40", text(kernel.eval("handed")));
    }

    @Test
    void aVariableOfARedefinedClassStartsOverAsInJShell() {
        // A changed type is a real change: the old object cannot be kept in a variable of the new class.
        kernel.eval("class Box { int v = 4; }\nBox box = new Box();");
        kernel.eval("class Box { int v = 5; int w; }");
        assertEquals("null", text(kernel.eval("String.valueOf(box)")));
        assertEquals("5", text(kernel.eval("new Box().v")));
    }

    @Test
    void aStatementBeyondClassFileLimitsIsDroppedAndTheSessionGoesOn() {
        kernel.eval("int keptBeforeLongNames = 5;");
        for (String breaker : List.of("int " + "F".repeat(70_000) + " = 1;", "String s = \"" + "x".repeat(70_000) + "\";")) {
            CellError e = assertThrows(CellError.class, () -> kernel.eval(breaker));
            assertEquals("CompilationError", e.ename());
            assertTrue(e.evalue().contains("class-file limit") && e.evalue().contains("dropped"), e.evalue());
            assertTrue(String.join("\n", e.traceback()).length() < 2_000, "the report echoes the whole statement");
            assertEquals("8", text(kernel.eval("int z = 3; keptBeforeLongNames + z")));
        }
    }

    @Test
    void magicsRefuseOverlongVariableNamesInOneLine() {
        CellError e = assertThrows(CellError.class, () -> kernel.eval("%deq " + "N".repeat(70_000) + " hidden=8"));
        assertTrue(e.evalue().startsWith("%deq: VAR: a notebook variable name has at most 255 characters, got one of 70000"), e.evalue());
        assertTrue(e.evalue().length() < 200, e.evalue());
        assertEquals("3", text(kernel.eval("1 + 2")));
    }

    @Test
    void outOfMemoryInAMagicIsOneLineNamingIt() {
        kernel.getMagicsRegistry().registerLineMagic("allocate-too-much", (k, args) -> {
            throw new OutOfMemoryError("Java heap space");
        });
        CellError e = assertThrows(CellError.class, () -> kernel.eval("%allocate-too-much"));
        assertEquals("OutOfMemoryError", e.ename());
        assertTrue(e.evalue().startsWith("%allocate-too-much: out of memory (Java heap space)"), e.evalue());
        assertEquals(1, e.traceback().size());
        assertEquals("3", text(kernel.eval("1 + 2")));
    }

    @Test
    void errorReportsAreBounded() {
        CellError e = assertThrows(CellError.class,
                () -> kernel.eval("throw new IllegalStateException(\"y\".repeat(3_000_000));"));
        assertTrue(e.evalue().length() < CellError.MAX_LINE + 100, "evalue of " + e.evalue().length());
        assertTrue(e.evalue().endsWith("(cut: 3000000 characters in all)"), e.evalue().substring(CellError.MAX_LINE));
        assertTrue(e.traceback().stream().allMatch(l -> l.length() < CellError.MAX_LINE + 100));
    }

    @Test
    void helpListsTheRegisteredMagicsAsHtmlAndText() {
        List<DisplayData> out = displayed("%help");
        assertEquals(1, out.size());
        String html = KernelHarness.html(out.get(0));
        assertTrue(html.contains("<table") && html.contains("%help"), html);
        assertTrue(text(out.get(0)).contains("%help"), text(out.get(0)));
    }

    @Test
    void helpOfOneMagicAndOfAnUnknownOne() {
        assertTrue(text(displayed("%help help").get(0)).contains("Syntax: %help [NAME]"));
        CellError e = assertThrows(CellError.class, () -> kernel.eval("%help hlep"));
        assertEquals("UsageError", e.ename());
        assertTrue(e.evalue().startsWith("%help: unknown magic 'hlep' (did you mean 'help'?)"), e.evalue());
    }

    @Test
    void unknownMagicSuggestsAndTheNextCellStillRuns() {
        CellError e = assertThrows(CellError.class, () -> kernel.eval("%hepl"));
        assertEquals("UnknownMagic", e.ename());
        assertTrue(e.evalue().startsWith("%hepl: unknown line magic (did you mean 'help'?)"), e.evalue());
        assertEquals("2", text(kernel.eval("1 + 1")));
    }

    @Test
    void magicInsideJavaCodeIsTranspiled() {
        List<DisplayData> out = displayed("int before = 1;\n%help help\nint after = 2;");
        assertEquals(1, out.size());
        assertEquals("2", text(kernel.eval("after")));
    }

    @Test
    void completesJavaAndMagicNames() {
        ReplacementOptions magic = kernel.complete("%he", 3);
        assertEquals(List.of("help"), magic.getReplacements());
        assertEquals(1, magic.getSourceStart());
        ReplacementOptions java = kernel.complete("Math.ma", 7);
        assertTrue(java.getReplacements().contains("max("), java.getReplacements().toString());
        assertEquals(5, java.getSourceStart());
    }

    @Test
    void isCompleteTellsUnfinishedFromInvalid() {
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("int z = 3;"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("%help"));
    }

    @Test
    void inspectShowsSignatures() {
        DisplayData d = kernel.inspect("Math.max(1, 2)", 6, false);
        assertTrue(text(d).contains("max(int"), text(d));
        d = kernel.inspect("Math.max", 8, false);
        assertTrue(text(d).contains("max(int"), text(d));
    }

    @Test
    void backgroundWorkWaitsUntilTheKernelIsOnline() {
        DeqKernel fresh = DeqKernel.builder().build();
        try {
            List<String> ran = new CopyOnWriteArrayList<>();
            fresh.whenOnline(() -> ran.add("first"));
            fresh.whenOnline(() -> ran.add("second"));
            assertEquals(List.of(), ran, "nothing runs before the kernel is online");
            assertFalse(fresh.javaStarted(), "JShell's start waits too");
            fresh.online();
            assertEquals(List.of("first", "second"), ran, "online: the kept tasks, in order");
            assertTrue(fresh.javaStarted());
            fresh.whenOnline(() -> ran.add("later"));
            assertEquals(List.of("first", "second", "later"), ran, "once online, a task runs at once");
            assertEquals("7", text(fresh.eval("3 + 4")));
        } finally {
            fresh.java().close(); // not onShutdown: this kernel never became the notebook's (onStartup)
        }
    }

    @Test
    void aKernelNotYetOnlineStartsJShellForItsFirstJavaCell() {
        DeqKernel offline = DeqKernel.builder().build();
        try {
            assertFalse(offline.javaStarted());
            assertEquals("12", text(offline.eval("3 * 4")));
        } finally {
            offline.java().close();
        }
    }

    /**
     * The cell counts down a latch (handed over in the system properties, a map both sides see) before it sleeps,
     * so the interrupt cannot race the cell's start; the outcome is asserted, not its latency.
     */
    @Test
    void interruptStopsASleepingCellAndTheKernelGoesOn() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        System.getProperties().put("deqnc.test.started", started);
        try {
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    kernel.eval("((java.util.concurrent.CountDownLatch) System.getProperties().get(\"deqnc.test.started\"))"
                            + ".countDown();\nThread.sleep(600_000);");
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertTrue(started.await(60, TimeUnit.SECONDS), "the cell started");
            kernel.interrupt();
            Throwable t = run.get(60, TimeUnit.SECONDS); // a bound against hanging, far below the sleep
            assertTrue(t instanceof CellError && ((CellError) t).ename().equals("Interrupted"), String.valueOf(t));
            assertEquals("7", text(kernel.eval("3 + 4")));
        } finally {
            System.getProperties().remove("deqnc.test.started");
        }
    }
}
