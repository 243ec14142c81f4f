package org.deqnc.magic;

import org.deqnc.kernel.CellError;
import org.deqnc.kernel.KernelHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.deqnc.kernel.KernelHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of malformed magic invocations. Each must fail with one line that starts with the magic,
 * names the bad argument and says what is accepted (the fragments below), with no kernel frames; the
 * next cell must still run and the notebook's earlier values must survive.
 */
class MagicErrorsTest {

    static KernelHarness nb;

    /** {cell, fragments the one-line message must contain}. */
    static Stream<List<String>> corpus() {
        return Stream.of(
                // %deq — DeqConfig keys and values
                List.of("%deq hiden=5", "%deq:", "unknown key 'hiden'", "did you mean 'hidden'", "accepted keys:"),
                List.of("%deq hidden=0", "%deq:", "hidden must be an integer in [1, 65536]", "got '0'"),
                List.of("%deq hidden=abc", "%deq:", "hidden must be an integer", "got 'abc'"),
                List.of("%deq solver=andersen", "%deq:", "solver must be one of", "anderson", "did you mean 'anderson'"),
                List.of("%deq tol=-1", "%deq:", "tol must be", "got '-1'"),
                List.of("%deq cell=rnn", "%deq:", "cell must be one of", "mlp"),
                List.of("%deq backward=magic", "%deq:", "backward must be one of", "implicit"),
                List.of("%deq hidden=5 hidden=6", "%deq:", "key 'hidden' given twice"),
                List.of("%deq 1cfg hidden=4", "%deq:", "VAR: expected a notebook variable name", "'1cfg'"),
                List.of("%deq cfg hidden", "%deq:", "expected key=value, got 'hidden'", "accepted keys:"),
                List.of("%deq max_iter=1.5", "%deq:", "max_iter must be an integer", "got '1.5'"),
                List.of("%deq stop_mode=both", "%deq:", "stop_mode must be one of abs, rel"),
                List.of("%deq fallback=picard,newton", "%deq:", "fallback must be", "'newton' is not one of them"),
                List.of("%deq dtype=float16", "%deq:", "dtype must be one of", "float32"),
                List.of("%deq m=0", "%deq:", "m must be an integer in [1, 64]"),
                // %solve
                List.of("%solve solvers=andersen", "%solve:", "solvers must be", "did you mean 'anderson'"),
                List.of("%solve solvers=none", "%solve:", "solvers: needs at least one of", "picard"),
                List.of("%solve problem=tanh", "%solve:", "problem: 'tanh'", "accepted: tanh-contraction, linear"),
                List.of("%solve problem=some-thing", "%solve:", "problem: 'some-thing'", "accepted: tanh-contraction, linear"),
                List.of("%solve problem=kept", "%solve:", "problem: 'kept'", "nor a notebook FixedPointProblem"),
                List.of("%solve w_norm=-1", "%solve:", "w_norm must be", "got '-1'"),
                List.of("%solve w_norm=abc", "%solve:", "w_norm must be", "got 'abc'"),
                List.of("%solve dim=0", "%solve:", "dim must be an integer in [1, 4096]"),
                List.of("%solve max_iter=0", "%solve:", "max_iter must be an integer"),
                List.of("%solve tol=0", "%solve:", "tol must be", "got '0'"),
                List.of("%solve stop_mode=rel2", "%solve:", "stop_mode must be one of abs, rel", "did you mean 'rel'"),
                List.of("%solve foo=1", "%solve:", "unknown key 'foo'", "accepted keys: problem, solvers"),
                List.of("%solve seed=x", "%solve:", "seed must be", "got 'x'"),
                List.of("%solve dim=4 batch=1 solvers=picard save=out.pdf", "%solve:", "save: unknown file type 'out.pdf'", ".png, .svg, .html"),
                // %nc
                List.of("%nc", "%nc:", "expected FEATURES LABELS [W]", "got 0"),
                List.of("%nc H", "%nc:", "RUN: 'H' is a double[][]", "accepted: ExperimentResult"),
                List.of("%nc H nc1=svd", "%nc:", "expected FEATURES LABELS [W]", "got 1: H"),
                List.of("%nc H y W extra", "%nc:", "expected FEATURES LABELS [W]", "got 4"),
                List.of("%nc nosuch y", "%nc:", "FEATURES: cannot evaluate 'nosuch'"),
                List.of("%nc y H", "%nc:", "FEATURES: 'y' is a int[]", "accepted: double[][], Features, NDArray"),
                List.of("%nc H H", "%nc:", "LABELS: 'H' is a double[][]", "accepted: int[]"),
                List.of("%nc H y global_mean=mean", "%nc:", "global_mean must be one of class, sample, got 'mean'"),
                List.of("%nc H y nc1=pinv2", "%nc:", "nc1 must be one of pinv, svd, quotient, cdnv", "did you mean 'pinv'"),
                List.of("%nc H y nc4=x", "%nc:", "unknown key 'nc4'", "did you mean", "accepted keys: global_mean, nc1"),
                List.of("%nc H y classes=1", "%nc:", "K: must be >= 2", "got 1"),
                List.of("%nc H y nc1=svd nc1=pinv", "%nc:", "key 'nc1' given twice"),
                // the old --opt=value form answers with the new form of what was typed
                List.of("%nc H y --global-mean=sample --nc1=quotient", "%nc:",
                        "write global_mean=sample nc1=quotient instead of --global-mean=sample --nc1=quotient"),
                List.of("%nc H y --nc1", "%nc:", "write nc1=… instead of --nc1"),
                List.of("%nc 9H y", "%nc:", "FEATURES: expected a notebook variable name", "'9H'"),
                List.of("%nc H shortLabels", "%nc:", "labels", "4"),
                List.of("%nc H y W3", "%nc:", "W", "3"),
                // %dataset
                List.of("%dataset", "%dataset:", "NAME: missing", "accepted: fashion-mnist, cifar10, cifar100, cifar100-coarse"),
                List.of("%dataset mnist", "%dataset:", "unknown 'mnist'", "accepted: fashion-mnist"),
                List.of("%dataset cifar100-coarse data_dir=target/no-cifar", "%dataset:", "train.bin not found",
                        "data-scripts/fetch-cifar.sh target/no-cifar"),
                List.of("%dataset gmm synthetic_classes=1", "%dataset:", "synthetic_classes must be an integer in [2, 1000]"),
                List.of("%dataset split=test", "%dataset:", "NAME: missing"),
                List.of("%dataset fashion-mnist split=valid", "%dataset:", "split must be one of train, test"),
                List.of("%dataset fashion-mnist K_A=3 R=0.5", "%dataset:", "R must be", "got '0.5'"),
                List.of("%dataset fashion-mnist R=10", "%dataset:", "R, n_A: need K_A >= 1"),
                List.of("%dataset fashion-mnist as=1x", "%dataset:", "as: expected a notebook variable name", "'1x'"),
                List.of("%dataset fashion-mnist K_A=-1", "%dataset:", "K_A must be an integer in [0, 1000]"),
                // %plot
                List.of("%plot", "%plot:", "TABLE: missing"),
                List.of("%plot nosuch x=a y=b", "%plot:", "TABLE: cannot evaluate 'nosuch'"),
                List.of("%plot kept x=a", "%plot:", "TABLE: 'kept' is a Integer", "accepted: Table"),
                List.of("%plot t x=x y=z", "%plot:", "y: unknown column 'z'", "columns: x, y"),
                List.of("%plot t x=x y=y kind=pie", "%plot:", "kind must be one of line, scatter, bar, heatmap"),
                List.of("%plot t x=x y=y log_y=yes", "%plot:", "log_y must be true or false"),
                List.of("%plot t x=x y=y save=out.pdf", "%plot:", "save: unknown file type", ".png, .svg, .html"),
                List.of("%plot t x=x y=y by=x kind=heatmap", "%plot:", "by: not supported for heatmaps"),
                List.of("%plot t x=x y=y zoom=2", "%plot:", "unknown key 'zoom'", "accepted keys: kind, x, y"),
                // %%experiment
                List.of("%%experiment\nmodel = deq", "%%experiment:", "expected VAR [resume], got ''"),
                List.of("%%experiment r resum\nmodel = deq", "%%experiment:", "expected VAR [resume], got 'r resum'"),
                List.of("%%experiment 1x\nmodel = deq", "%%experiment:", "VAR: expected a notebook variable name", "'1x'"),
                List.of("%%experiment r\nmodel = dqe", "%%experiment:", "model must be one of", "deq"),
                List.of("%%experiment r\nepochs = 0", "%%experiment:", "epochs must be an integer in [1, 100000]"),
                List.of("%%experiment r\ndataset = mnist", "%%experiment:", "dataset must be one of", "fashion-mnist", "synthetic"),
                List.of("%%experiment r\nepoch = 3", "%%experiment:", "unknown key 'epoch'", "did you mean 'epochs'"),
                List.of("%%experiment r resume\nout = target/no-such-run", "%%experiment:", "resume: no run to resume in target/no-such-run"),
                // %%sweep
                List.of("%%sweep\nseed = 1, 2", "%%sweep:", "expected VAR [resume|fresh|submit|status], got ''"),
                List.of("%%sweep s again\nseed = 1, 2", "%%sweep:", "expected VAR [resume|fresh|submit|status], got 's again'"),
                List.of("%%sweep 1x\nseed = 1, 2", "%%sweep:", "VAR: expected a notebook variable name", "'1x'"),
                List.of("%%sweep s\nK_a = 1, 2", "%%sweep:", "unknown key 'K_a'", "did you mean 'K_A'"),
                List.of("%%sweep s\nworkers = 1, 2", "%%sweep:", "'workers' is a sweep setting and takes one value"),
                List.of("%%sweep s\nepochs = 0\nseed = 1, 2", "%%sweep:", "epochs must be an integer in [1, 100000]"),
                List.of("%%sweep s\nseed = 1,,2", "%%sweep:", "seed: empty value"),
                // %help, unknown magics, syntax, interpolation
                List.of("%help hlep", "%help:", "unknown magic 'hlep'", "did you mean 'help'"),
                List.of("%help a b", "%help:", "takes at most one NAME"),
                List.of("%slove", "%slove:", "unknown line magic", "did you mean 'solve'", "accepted:"),
                List.of("%%deq\nhidden=4", "%%deq:", "unknown cell magic", "accepted: experiment"),
                List.of("%plot t title=\"unbalanced", "%plot:", "unbalanced double quote"),
                List.of("%deq hidden=${nosuch}", "%deq:", "${nosuch}: cannot evaluate 'nosuch'"),
                List.of("%deq hidden=${}", "%deq:", "empty ${}"),
                List.of("%deq hidden=${1+2", "%deq:", "unclosed ${"),
                // hostile inputs found by probing the kernel: numbers only in plain ASCII, no empty list, no space after %,
                // bounded echoes, names the session can hold, sizes refused before allocating
                List.of("%deq hidden=\uFF18", "%deq:", "hidden must be an integer"),
                List.of("%deq tol=0.5d", "%deq:", "tol must be", "got '0.5d'"),
                List.of("%deq tol=0x1p-3", "%deq:", "tol must be", "got '0x1p-3'"),
                List.of("%solve seed=\uFF11\uFF12", "%solve:", "seed must be a 64-bit integer"),
                List.of("%deq fallback=,", "%deq:", "fallback must be", "(empty element)"),
                List.of("%deq hidden", "%deq:", "VAR: 'hidden' is a key of %deq", "write hidden=VALUE"),
                List.of("% deq hidden=4", "%:", "the magic's name must follow % directly"),
                List.of("%% experiment r\nmodel = deq", "%%:", "the magic's name must follow %% directly"),
                List.of("%deq hidden=" + "9".repeat(100_000), "%deq:", "hidden must be an integer", "(cut: "),
                List.of("%deq " + "N".repeat(70_000), "%deq:", "at most 255 characters, got one of 70000"),
                List.of("%%experiment big\ndataset = gmm\nsynthetic_per_class = 1048576\nsynthetic_dim = 65536\n"
                        + "synthetic_classes = 1000", "%%experiment:", "synthetic_per_class x synthetic_classes x synthetic_dim",
                        "use smaller sizes"));
    }

    @BeforeAll
    static void start() {
        nb = new KernelHarness();
        nb.eval("int kept = 7;\ndouble[][] H = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};\nint[] y = {0, 0, 1, 1};\n"
                + "int[] shortLabels = {0, 1};\ndouble[][] W3 = {{1, 0, 0}, {0, 1, 0}};");
        nb.eval("var t = tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.DoubleColumn.create(\"x\", 1, 2),"
                + " tech.tablesaw.api.DoubleColumn.create(\"y\", 3, 4));");
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    @Test
    void theCorpusIsLargeEnough() {
        assertTrue(corpus().count() >= 50);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void malformedInvocationGivesOneClearLineAndTheKernelGoesOn(List<String> c) {
        CellError e = assertThrows(CellError.class, () -> nb.eval(c.get(0)));
        String msg = e.evalue();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        assertTrue(msg.startsWith(c.get(1)), "names the magic: " + msg);
        for (String fragment : c.subList(2, c.size())) {
            assertTrue(msg.contains(fragment), "'" + fragment + "' in: " + msg);
        }
        assertEquals(1, e.traceback().size(), "no frames: " + e.traceback());
        assertFalse(e.ename().contains("."), "a short error name: " + e.ename());
        assertEquals("8", text(nb.eval("kept + 1")), "the next cell runs and earlier values survive");
    }
}
