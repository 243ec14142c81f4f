package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.deqnc.config.ConfigException;
import org.deqnc.deq.Backward;
import org.deqnc.deq.DeqConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, cross-key validation and the one-line error messages of {@link Experiment}. */
class ExperimentConfigTest {

    private static String error(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> Experiment.parse(text));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void unknownKeySuggestsTheNearestOne() {
        String m = error("modle=deq");
        assertTrue(m.contains("unknown key 'modle'") && m.contains("did you mean 'model'?"), m);
        String d = error("deq.hiden=32");
        assertTrue(d.contains("did you mean 'deq.hidden'?"), d);
        // the DEQ seed is the experiment's seed, so it is not a key of its own
        assertTrue(error("deq.seed=3").contains("unknown key 'deq.seed'"));
    }

    @Test
    void kAMustLeaveAMinorityClass() {
        // Fashion-MNIST has K = 10 classes, so K_A = 10 leaves no minority class
        assertEquals("experiment: K_A must satisfy 1 <= K_A < K = 10 (dataset=fashion-mnist), got 10", error("K_A=10"));
        assertTrue(error("dataset=synthetic synthetic_classes=3 K_A=3").contains("K_A < K = 3"));
        assertTrue(error("K_A=0").startsWith("experiment: K_A must be"), error("K_A=0"));
    }

    @Test
    void ratioBelowOneAndBadNumbersAreRejected() {
        assertEquals("experiment: R must be a number in [1, inf), got '0.5'", error("R=0.5"));
        assertTrue(error("lr=-1").contains("lr must be a number in (0, inf)"));
        assertTrue(error("lr=NaN").contains("got 'NaN'"));
        assertTrue(error("epochs=0").contains("epochs"));
    }

    @Test
    void badOptimizerNameListsTheAcceptedOnes() {
        assertEquals("experiment: optimizer must be one of sgd, adam, got 'adamw' (did you mean 'adam'?)",
                error("optimizer=adamw"));
    }

    @Test
    void encoderMustFitTheData() {
        assertTrue(error("dataset=gmm encoder=cnn").contains("needs image data"));
        assertTrue(error("encoder=mlp deq.cell=conv").contains("deq.cell=conv needs feature maps"));
        assertTrue(error("name=a/b").contains("name must be"));
    }

    @Test
    void missingDataDirectoryNamesTheSettingAndThePackage(@TempDir Path dir) {
        Experiment e = Experiment.parse("dataset=fashion-mnist data_dir=" + dir.resolve("absent"));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TrainingData.load(e));
        String m = ex.getMessage();
        assertTrue(m.startsWith("experiment: dataset=fashion-mnist data_dir=" + dir.resolve("absent") + ": "), m);
        assertTrue(m.contains("dataset-fashion-mnist"), m);
        Experiment c = Experiment.parse("dataset=cifar10 data_dir=" + dir);
        String cm = assertThrows(IllegalArgumentException.class, () -> TrainingData.load(c)).getMessage();
        assertTrue(cm.contains("data_dir=" + dir) && cm.contains("data_batch_1.bin not found"), cm);
    }

    @Test
    void deqKeysReachTheBlockConfigWithTheExperimentSeed() {
        Experiment e = Experiment.parse("""
                # a comment
                seed = 42
                deq.hidden = 32
                deq.backward = jfb
                """);
        DeqConfig d = e.deqConfig();
        assertEquals(32, d.get(DeqConfig.HIDDEN));
        assertEquals(Backward.JFB, d.get(DeqConfig.BACKWARD));
        assertEquals(42L, d.get(DeqConfig.SEED));
    }

    @Test
    void textFormAndBuilderRoundTrip() {
        Experiment built = Experiment.builder().model(ModelKind.EXPLICIT).optimizer(OptimizerKind.ADAM).lr(1e-3)
                .epochs(9).dataset("synthetic").imbalance(2, 5).set("deq.hidden", 8).build();
        assertEquals(built, Experiment.parse(built.toString()));
        assertEquals(ModelKind.EXPLICIT, built.model());
        assertEquals(5.0, built.r());
        assertEquals(Path.of("out", "runs", "run"), built.outDirectory());
        assertEquals(Path.of("/tmp/x"), built.with("out", "/tmp/x").outDirectory());
    }

    @Test
    void scheduleDecaysAtOneAndTwoThirds() {
        // 9 epochs: milestones 3 and 6 (PyTorch MultiStepLR with milestones [9 // 3, 2 * 9 // 3])
        StepSchedule s = new StepSchedule(1.0, 0.1, 9);
        double[] expected = {1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01};
        for (int epoch = 0; epoch < 9; epoch++) {
            assertEquals(expected[epoch], s.lr(epoch), 1e-15, "epoch " + epoch);
        }
        // 2 epochs: milestones 0 (never fires) and 1
        StepSchedule two = new StepSchedule(1.0, 0.5, 2);
        assertEquals(1.0, two.lr(0));
        assertEquals(0.5, two.lr(1));
        assertEquals("epoch: must be in [0, 2), got 2",
                assertThrows(IllegalArgumentException.class, () -> two.lr(2)).getMessage());
    }
}
