package org.deqnc.example;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.deqnc.data.GaussianMixture;
import org.deqnc.data.GaussianMixtureSample;
import org.deqnc.deq.DeqBlock;
import org.deqnc.deq.DeqConfig;
import org.deqnc.engine.Engines;
import org.deqnc.nc.Features;
import org.deqnc.nc.NcMetrics;
import org.deqnc.nc.NcReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java example of the README, line for line (between the markers), so that the build compiles and
 * runs it: if an API it uses changes, this test fails to compile; if the README's copy drifts from this
 * one, {@link #readmeShowsThisCode} fails.
 */
class ReadmeExampleTest {

    @Test
    void readmeExampleRunsAndItsNumbersHold() {
        // README example begins
        // Ling et al.'s two-class Gaussian mixture in p = 64 dimensions, 200 samples, seed 1
        GaussianMixtureSample sample = GaussianMixture.lingTwoClass(64).sample(200, 1);

        DeqConfig config = DeqConfig.parse("hidden=32 solver=anderson tol=1e-4 seed=1");
        DeqBlock deq = new DeqBlock(config);                             // a DJL Block
        try (NDManager manager = Engines.newManager()) {
            NDArray x = manager.create(sample.x()).toType(DataType.FLOAT32, false);
            deq.initialize(manager, DataType.FLOAT32, x.getShape());
            NDArray z = deq.forward(new ParameterStore(manager, false), new NDList(x), false).head();
            System.out.println(deq.lastForwardStats());                  // iterations, residual, converged

            NcReport report = NcMetrics.of(Features.of(z), sample.labels(), 2).report();
            System.out.println(report);                                  // NC1, NC2… with their conventions
            // README example ends

            assertEquals(new Shape(200, 32), z.getShape());
            assertTrue(deq.lastForwardStats().converged(), deq.lastForwardStats().toString());
            assertTrue(report.nc1() > 0 && Double.isFinite(report.nc1()), report.toString());
            // with K = 2 the two centred class means are antipodal: a two-vertex simplex ETF, whatever the features
            assertEquals(0, report.nc2(), 1e-9, report.toString());
        }
    }

    @Test
    void readmeShowsThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/org/deqnc/example/ReadmeExampleTest.java"));
        String marked = source.substring(source.indexOf("// README example begins\n") + 25,
                source.indexOf("            // README example ends"));
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```java\n") + 8;
        String shown = readme.substring(start, readme.indexOf("```", start));
        assertEquals(dedent(marked, 8) + "}", shown.strip(),
                "README.md's Java example differs from ReadmeExampleTest's; copy the test's lines between the"
                        + " markers into the README (8 spaces less indentation, plus the closing brace)");
    }

    private static String dedent(String lines, int spaces) {
        return Arrays.stream(lines.split("\n", -1))
                .map(l -> l.length() >= spaces ? l.substring(spaces) : l.strip())
                .collect(Collectors.joining("\n"));
    }
}
