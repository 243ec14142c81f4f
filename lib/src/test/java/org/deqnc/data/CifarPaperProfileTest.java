package org.deqnc.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

import org.deqnc.train.EpochMetrics;
import org.deqnc.train.Experiment;
import org.deqnc.train.ExperimentResult;
import org.deqnc.train.ExperimentRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper profile of notebooks 20-22 (docs/experiments-sun-shi.md) on CIFAR-10 files this test makes: the fetch
 * script's download path against a local mirror, and one epoch of the paper's model and recipe (ResNet-18-style
 * encoder, DEQ block, SGD momentum 0.9, weight decay 5e-4, Anderson to 1e-3 in at most 20 iterations) at a tiny width.
 */
class CifarPaperProfileTest {

    private static final Path SCRIPT = Path.of("..", Cifar.FETCH_SCRIPT);

    /** Two images per class in each of the five training batches' worth of records, and one per class for test. */
    private static Path writeTinyCifar10(Path root) throws IOException {
        Path folder = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            int[][] labels = new int[4][];
            for (int i = 0; i < 4; i++) {
                labels[i] = new int[] {(4 * (b - 1) + i) % 10};
            }
            Files.write(folder.resolve("data_batch_" + b + ".bin"), CifarTest.records(labels));
        }
        int[][] test = new int[10][];
        for (int i = 0; i < 10; i++) {
            test[i] = new int[] {i};
        }
        Files.write(folder.resolve("test_batch.bin"), CifarTest.records(test));
        return folder;
    }

    @Test
    void fetchScriptDownloadsFromAMirrorRefusesAWrongChecksumAndKeepsUnpackedData(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("curl") || onPath("wget"), "the fetch script needs curl or wget");
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        writeTinyCifar10(mirror);
        assertEquals(0, run(List.of("tar", "-czf", "cifar-10-binary.tar.gz", "cifar-10-batches-bin"), mirror, null).exit);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = Files.readAllBytes(mirror.resolve(exchange.getRequestURI().getPath().substring(1)));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path data = dir.resolve("data");
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Result r = run(List.of("bash", SCRIPT.toString(), "--cifar10", data.toString()), Path.of("."), url);
            // the tiny archive is not the published one: downloaded whole, then refused by its MD5 sum
            assertEquals(1, r.exit, r.output);
            assertTrue(r.output.contains("CIFAR-10: downloading " + url + "/cifar-10-binary.tar.gz"), r.output);
            assertTrue(r.output.contains("expected c32a1d4ab5d03f1284b67883e8d87530; delete it and retry"), r.output);
            assertEquals(Files.size(mirror.resolve("cifar-10-binary.tar.gz")), Files.size(data.resolve("cifar-10-binary.tar.gz")));
            assertFalse(Files.exists(data.resolve("cifar-10-binary.tar.gz.part")), "no partial file left");
            // data already in place (e.g. unpacked by hand from a mirror) is used as is, and the reader finds it
            writeTinyCifar10(data);
            Result again = run(List.of("bash", SCRIPT.toString(), "--cifar10", data.toString()), Path.of("."), url);
            assertEquals(0, again.exit, again.output);
            assertTrue(again.output.contains("already unpacked"), again.output);
            assertEquals(20, Cifar.load(Cifar.Variant.CIFAR10, data, Split.TRAIN).size());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void paperRecipeTrainsOneEpochOfBothModelsOnTinyCifar(@TempDir Path dir) throws IOException {
        writeTinyCifar10(dir.resolve("data"));
        for (String model : List.of("deq", "explicit")) {
            Experiment e = Experiment.parse("dataset=cifar10 data_dir=" + dir.resolve("data") + " encoder=resnet18"
                    + " encoder_width=8 deq.hidden=16 depth=4 optimizer=sgd momentum=0.9 weight_decay=5e-4 lr=0.1"
                    + " batch_size=10 epochs=1 deq.solver=anderson deq.tol=1e-3 deq.max_iter=20 deq.backward=implicit"
                    + " seed=1 model=" + model + " out=" + dir.resolve(model));
            ExperimentResult r = ExperimentRunner.run(e);
            EpochMetrics last = r.last();
            assertEquals(1, r.epochs().size(), model);
            assertTrue(Double.isFinite(last.get("train_loss")) && Double.isFinite(last.get("nc1")), last.toString());
            if (model.equals("deq")) {
                assertTrue(last.get("fwd_iters_mean") >= 1 && last.get("fwd_iters_mean") <= 20, last.toString());
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Path workDir, String baseUrl) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        if (baseUrl != null) {
            pb.environment().put("CIFAR_BASE_URL", baseUrl);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    private static boolean onPath(String tool) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
