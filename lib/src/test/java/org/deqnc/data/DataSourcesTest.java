package org.deqnc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.deqnc.config.ConfigException;
import org.deqnc.train.Experiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one registry of data sources: names, classes, shapes, loading, missing files, and that every entry point accepts every name. */
class DataSourcesTest {

    @TempDir
    Path dir;

    @Test
    void registryListsEverySourceWithItsClassesAndShape() {
        assertEquals(List.of("fashion-mnist", "cifar10", "cifar100", "cifar100-coarse", "gmm", "synthetic"),
                DataSources.names());
        DataOptions o = DataOptions.parse("synthetic_classes=5 synthetic_dim=7 synthetic_side=6");
        assertEquals(10, DataSources.get("fashion-mnist").numClasses(o));
        assertEquals(10, DataSources.get("cifar10").numClasses(o));
        assertEquals(100, DataSources.get("cifar100").numClasses(o));
        assertEquals(20, DataSources.get("cifar100-coarse").numClasses(o));
        assertEquals(5, DataSources.get("gmm").numClasses(o));
        assertArrayEquals(new int[] {1, 28, 28}, DataSources.get("fashion-mnist").sampleShape(o));
        assertArrayEquals(new int[] {3, 32, 32}, DataSources.get("cifar100-coarse").sampleShape(o));
        assertArrayEquals(new int[] {7}, DataSources.get("gmm").sampleShape(o));
        assertArrayEquals(new int[] {1, 6, 6}, DataSources.get("synthetic").sampleShape(o));
        assertTrue(DataSources.get("gmm").vectors(o));
        assertFalse(DataSources.get("synthetic").vectors(o));
    }

    @Test
    void unknownNameSuggestsTheNearestAndListsAll() {
        assertEquals(DataSources.get("cifar100-coarse"), DataSources.get(" CIFAR100-coarse "));
        ConfigException e = assertThrows(ConfigException.class, () -> DataSources.get("cifar-10"));
        assertEquals("dataset: unknown 'cifar-10' (did you mean 'cifar10'?); accepted: fashion-mnist, cifar10, cifar100, "
                + "cifar100-coarse, gmm, synthetic", e.getMessage());
    }

    @Test
    void everySourceIsAValidExperimentDataset() {
        for (String name : DataSources.names()) {
            Experiment e = Experiment.parse("dataset=" + name + " K_A=1");
            assertEquals(DataSources.get(name).numClasses(e.dataOptions()), e.numClasses(), name);
        }
        // K of the coarse labels, not of the fine ones nor Fashion-MNIST's
        assertEquals(20, Experiment.parse("dataset=cifar100-coarse K_A=19").numClasses());
        assertThrows(ConfigException.class, () -> Experiment.parse("dataset=cifar100-coarse K_A=20"));
    }

    @Test
    void generatedSourcesFollowTheOptionsAndTheSeed() {
        DataOptions o = DataOptions.parse("synthetic_classes=3 synthetic_dim=5 synthetic_per_class=4 "
                + "synthetic_test_per_class=2 seed=7");
        DataSource gmm = DataSources.get("gmm");
        LabeledData train = gmm.load(o, Split.TRAIN);
        assertEquals(12, train.size());
        assertArrayEquals(new int[] {5}, train.sampleShape());
        assertArrayEquals(new int[] {4, 4, 4}, train.classCounts());
        assertEquals(6, gmm.load(o, Split.TEST).size());
        assertArrayEquals(train.sample(3), gmm.load(o, Split.TRAIN).sample(3), "same seed, same data");
        assertFalse(Arrays.equals(train.sample(3), gmm.load(o.with(DataOptions.SEED, 8L), Split.TRAIN).sample(3)),
                "another seed, other data");
        assertFalse(Arrays.equals(train.sample(0), gmm.load(o, Split.TEST).sample(0)), "test is another draw");
        LabeledData images = DataSources.get("synthetic").load(o.with(DataOptions.SIDE, 4), Split.TRAIN);
        assertArrayEquals(new int[] {1, 4, 4}, images.sampleShape());
        assertTrue(gmm.isGenerated());
        assertEquals("", gmm.fetchCommand(o));
        assertTrue(gmm.missingFiles(o).isEmpty());
    }

    @Test
    void missingFilesNameTheFileAndTheCommandThatFetchesIt() throws IOException {
        DataOptions here = DataOptions.defaults().with(DataOptions.DATA_DIR, dir.toString());
        String fashion = DataSources.get("fashion-mnist").missingFiles(here).orElseThrow();
        assertTrue(fashion.contains("apt-get install dataset-fashion-mnist"), fashion);
        assertEquals("apt-get install dataset-fashion-mnist", DataSources.get("fashion-mnist").fetchCommand(here));

        DataSource coarse = DataSources.get("cifar100-coarse");
        String none = coarse.missingFiles(here).orElseThrow();
        assertTrue(none.contains("train.bin not found") && none.contains("data-scripts/fetch-cifar.sh " + dir), none);
        assertEquals("data-scripts/fetch-cifar.sh " + dir, coarse.fetchCommand(here));
        Path folder = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(folder.resolve("train.bin"), CifarTest.records(new int[][] {{3, 61}, {19, 5}}));
        String noTest = coarse.missingFiles(here).orElseThrow();
        assertTrue(noTest.contains("test.bin"), noTest);
        Files.write(folder.resolve("test.bin"), CifarTest.records(new int[][] {{0, 1}}));
        assertTrue(coarse.missingFiles(here).isEmpty());
        assertTrue(DataSources.get("cifar100").missingFiles(here).isEmpty());
        assertTrue(DataSources.get("cifar10").missingFiles(here).isPresent(), "CIFAR-10 files are still missing");
        // the coarse source reads the first label byte, the fine one the second
        assertArrayEquals(new int[] {3, 19}, coarse.load(here, Split.TRAIN).labels());
        assertArrayEquals(new int[] {61, 5}, DataSources.get("cifar100").load(here, Split.TRAIN).labels());
    }

    @Test
    void experimentOptionsReachTheSource() {
        Experiment e = Experiment.parse("dataset=gmm synthetic_classes=6 synthetic_dim=3 seed=11 K_A=2 data_dir=/x");
        DataOptions o = e.dataOptions();
        assertEquals(6, o.get(DataOptions.CLASSES));
        assertEquals(3, o.get(DataOptions.DIM));
        assertEquals(11L, o.seed());
        assertEquals(Path.of("/x"), o.dataDir().orElseThrow());
        assertTrue(DataOptions.defaults().dataDir().isEmpty());
    }
}
