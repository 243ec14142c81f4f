package org.deqnc.magic;

import static org.deqnc.kernel.KernelHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deqnc.config.ConfigKey;
import org.deqnc.kernel.KernelHarness;
import org.deqnc.nc.NcConventions;
import org.deqnc.solver.SolverOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Magics read their keys from lib's one declaration of each concept: data sources, solver options, NC conventions. */
class MagicSchemasTest {

    private static final KernelHarness nb = new KernelHarness();

    @AfterAll
    static void stop() {
        nb.close();
    }

    @Test
    void datasetLoadsAGeneratedSourceWithItsOptions() {
        // 5 generated classes of 10 samples; K_A=2 keeps n_A = 10 (the smallest class) and R=2 leaves n_B = 5
        List<DisplayData> out = nb.displayed("%dataset gmm synthetic_classes=5 synthetic_per_class=10 synthetic_dim=3 K_A=2 R=2 as=g");
        String text = text(out.get(0));
        assertTrue(text.contains("[10, 10, 5, 5, 5]") && text.contains("[3]"), text);
        assertEquals("35", text(nb.eval("g.size()")));
    }

    @Test
    void solveAcceptsEverySolverOption() {
        // Picard damped by tau = 0.05 on ||W||_2 = 0.5 shrinks the error by at most 0.925 per step: reaching
        // 1e-6 takes more than log(1e-6) / log(0.925) = 177 steps, so it cannot converge within 100 (tau = 1: <= 21).
        String table = text(nb.displayed("%solve problem=linear w_norm=0.5 dim=16 batch=2 solvers=picard tol=1e-6 max_iter=100 tau=0.05").get(0));
        String picard = table.lines().filter(l -> l.startsWith("picard ")).findFirst().orElseThrow();
        assertEquals("false", picard.trim().split("\\s+")[1], table);
        for (ConfigKey<?> k : SolverOptions.SCHEMA.keys()) {
            assertSame(k, SolveMagic.SCHEMA.key(k.name()).orElseThrow(), k.name());
        }
    }

    @Test
    void ncTakesItsConventionsAsKeyValues() {
        nb.eval("double[][] H = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};\nint[] y = {0, 0, 1, 1};");
        String text = text(nb.displayed("%nc H y global_mean=sample nc1=svd nc3=structure dispersion=population classes=2").get(0));
        assertTrue(text.contains("globalMean=SAMPLE") && text.contains("nc1=SVD") && text.contains("nc3=STRUCTURE")
                && text.contains("std=POPULATION"), text);
        for (ConfigKey<?> k : NcConventions.SCHEMA.keys()) {
            assertSame(k, NcMagic.SCHEMA.key(k.name()).orElseThrow(), k.name());
        }
    }

    @Test
    void completionListsTheValuesTheKeyDeclares() {
        // the kernel lists completions sorted
        assertEquals(List.of("nc1=cdnv", "nc1=pinv", "nc1=quotient", "nc1=svd"), complete("%nc H y nc1="));
        assertEquals(List.of("nc1=", "nc1_scaling=", "nc2=", "nc3="), complete("%nc H y nc"));
        assertEquals(List.of(), complete("%nc H"), "positional variables are not keys");
        assertEquals(List.of("split=test", "split=train"), complete("%dataset gmm split="));
        assertEquals(List.of("synthetic_classes=", "synthetic_dim=", "synthetic_per_class=", "synthetic_side=",
                "synthetic_test_per_class="), complete("%dataset gmm synth"));
        assertEquals(List.of("line_search=false", "line_search=true"), complete("%solve line_search="));
        assertEquals(List.of("gmm"), complete("%dataset gm"));
    }

    private static List<String> complete(String code) {
        return nb.kernel().complete(code, code.length()).getReplacements();
    }
}
