package org.deqnc.bench;

import org.deqnc.nc.Features;
import org.deqnc.nc.Predictions;
import org.deqnc.nc.WithinScatter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The benchmark compares like with like: same data bit for bit, same values as the numpy script. */
class NcNumpyAgreementTest {

    private static final Path SCRIPT = Path.of("..", "environment", "bench", "nc_numpy.py");

    @Test
    void splitMixMatchesItsPublishedFirstOutput() {
        // SplitMix64 seeded with 0 first returns 0xE220A8397B1DCDAF (Vigna's reference splitmix64.c).
        assertEquals(0xE220A8397B1DCDAFL, NcBenchData.splitMix64(0));
        double u = NcBenchData.uniform(0, 0);
        assertEquals((0xE220A8397B1DCDAFL >>> 11) * 0x1.0p-53, u, 0.0);
    }

    @Test
    void javaAndNumpyComputeTheSameValues() throws Exception {
        assumeTrue(numpyAvailable(), "/usr/bin/python3 with numpy is not installed");
        int n = 900;
        int d = 24;
        int k = 5;
        NcBenchData data = NcBenchData.generate(n, d, k);
        int[] predictions = Predictions.linear(Features.of(data.h(), n, d), data.weights(), data.bias());
        Map<String, Double> ours = NcBenchmark.valuesOf(NcBenchmark.inMemoryReport(data, predictions,
                WithinScatter.PROJECTED));
        NcBenchmark.NumpyRun numpy = NcBenchmark.runNumpy(SCRIPT.toString(), n, d, k, 1);
        assertEquals(List.of(), NcBenchmark.disagreements(ours, numpy.values()));
        // Every NC family was compared, not just a few easy values.
        for (String key : List.of("nc1_pinv", "nc1_svd", "nc1_cdnv", "nc2_etf_means", "nc3_duality",
                "nc4_ncc_disagreement", "nc4_linear_ncc_disagreement", "nc3_duality_cos_var", "unc3_duality_dot_var")) {
            assertTrue(numpy.values().containsKey(key), key);
        }
        assertEquals(2, numpy.benchLines().size(), numpy.benchLines().toString());
    }

    @Test
    void disagreementsAreReportedWithBothValues() {
        Map<String, Double> theirs = new LinkedHashMap<>();
        theirs.put("nc1_pinv", 1.1);
        theirs.put("nc1_svd", 2.0 + 1e-12); // within the 1e-8 relative agreement
        theirs.put("accuracy", 0.5);
        assertEquals(List.of("nc1_pinv:1.0/1.1", "accuracy:missing_in_ours"),
                NcBenchmark.disagreements(Map.of("nc1_pinv", 1.0, "nc1_svd", 2.0), theirs));
    }

    private static boolean numpyAvailable() throws InterruptedException {
        if (!Files.isRegularFile(Path.of("/usr/bin/python3")) || !Files.isRegularFile(SCRIPT)) {
            return false;
        }
        try {
            return new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
