package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.deqnc.data.Split;
import org.deqnc.nc.GlobalMean;
import org.deqnc.nc.NcConventions;
import org.deqnc.nc.NcMetric;
import org.deqnc.nc.NcReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

/** Features read back from a run's checkpoint agree with what the run itself measured. */
class LearnedFeaturesTest {

    /** ExperimentRunnerTest's tiny imbalanced run (K = 4, K_A = 2, R = 2), two epochs. */
    private static ExperimentResult tinyRun(String model, Path out) {
        return ExperimentRunner.run(ExperimentRunnerTest.tiny(model, 2, out));
    }

    @Test
    void trainingFeaturesReproduceTheRunsLastNcRowAndTestAccuracy(@TempDir Path dir) {
        for (String model : new String[] {"deq", "explicit"}) {
            ExperimentResult r = tinyRun(model, dir.resolve(model));
            EpochMetrics last = r.last();
            // the run streamed its features through the accumulators; here they are read back in memory
            NcReport train = LearnedFeatures.of(r, Split.TRAIN).report(NcConventions.defaults());
            assertEquals(last.get("nc1"), train.nc1(), 1e-6 * Math.abs(last.get("nc1")), model);
            assertEquals(last.get("nc3"), train.nc3(), 1e-6, model);
            assertEquals(last.get("train_acc"), train.value(NcMetric.ACCURACY), 1e-12, model);
            LearnedFeatures test = LearnedFeatures.of(r, Split.TEST);
            assertEquals(32, test.size());
            assertEquals(last.get("test_acc"), test.report(NcConventions.defaults()).value(NcMetric.ACCURACY), 1e-12);
        }
    }

    @Test
    void perEpochMinorityCollapseColumnsMatchBothGlobalMeansOfTheReadBackFeatures(@TempDir Path dir) {
        ExperimentResult r = tinyRun("deq", dir);
        LearnedFeatures f = LearnedFeatures.of(r, Split.TRAIN);
        for (String[] c : new String[][] {{"class_balanced", "CLASS_MEAN"}, {"sample_weighted", "SAMPLE"}}) {
            NcReport byConvention = f.report(NcConventions.defaults().with(GlobalMean.valueOf(c[1])));
            double ratio = byConvention.value(NcMetric.MINORITY_MEANS_NORM) / byConvention.value(NcMetric.MAJORITY_MEANS_NORM);
            assertEquals(ratio, r.last().get("means_norm_ratio_" + c[0]), 1e-9, c[0]);
            assertEquals(byConvention.value(NcMetric.MINORITY_MEANS_COS), r.last().get("minority_means_cos_" + c[0]),
                    1e-9, c[0]);
        }
        NcReport any = f.report(NcConventions.defaults());
        assertEquals(any.value(NcMetric.MINORITY_CLASSIFIER_NORM) / any.value(NcMetric.MAJORITY_CLASSIFIER_NORM),
                r.last().get("W_norm_ratio"), 1e-9);
        // the imbalanced tiny run: the two conventions give different numbers, and every epoch has them
        assertNotEquals(r.last().get("means_norm_ratio_class_balanced"), r.last().get("means_norm_ratio_sample_weighted"));
        for (EpochMetrics row : r.epochs()) {
            for (String m : EpochMetrics.MINORITY_COLLAPSE_COLUMNS) {
                assertTrue(Double.isFinite(row.get(m)), m + " at epoch " + row.epoch());
            }
        }
    }

    @Test
    void firstPerClassSortsByClassAndGramsHaveUnitDiagonals(@TempDir Path dir) {
        LearnedFeatures f = LearnedFeatures.of(tinyRun("deq", dir), Split.TEST).firstPerClass(3);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, f.labels());
        Table g = f.featureGram();
        assertEquals(13, g.columnCount());
        assertEquals("0:0", g.column(1).name());
        for (int i = 0; i < 12; i++) {
            assertEquals(1, g.doubleColumn(i + 1).getDouble(i), 1e-12);
        }
        Table byClass = f.centredMeansGram(GlobalMean.CLASS_MEAN);
        Table bySample = f.centredMeansGram(GlobalMean.SAMPLE);
        assertEquals(4, byClass.rowCount());
        assertEquals(1, byClass.doubleColumn(1).getDouble(0), 1e-12);
        // on a class-balanced subset the two global means coincide
        assertEquals(byClass.doubleColumn(2).getDouble(0), bySample.doubleColumn(2).getDouble(0), 1e-9);
        assertEquals(1, f.classifierGram().doubleColumn(3).getDouble(2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> f.firstPerClass(0));
    }

    @Test
    void globalMeanConventionMattersUnderImbalance(@TempDir Path dir) {
        LearnedFeatures f = LearnedFeatures.of(tinyRun("deq", dir), Split.TRAIN);
        assertNotEquals(f.centredMeansGram(GlobalMean.CLASS_MEAN).doubleColumn(2).getDouble(0),
                f.centredMeansGram(GlobalMean.SAMPLE).doubleColumn(2).getDouble(0));
    }
}
