package org.deqnc.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tech.tablesaw.api.Table;

import org.deqnc.data.Split;
import org.deqnc.nc.ClassSplit;
import org.deqnc.nc.Features;
import org.deqnc.nc.GlobalMean;
import org.deqnc.nc.NcConventions;
import org.deqnc.nc.NcMetrics;
import org.deqnc.nc.NcReport;
import org.deqnc.report.Grams;

/**
 * The last-layer features h of a trained run on one split, with its classifier (W, b): what t-SNE plots, Gram
 * heat-maps and NC reports under any convention are computed from after training. Read from the run's last
 * checkpoint, so it works for any finished (or interrupted) run directory.
 *
 * <pre>{@code
 * LearnedFeatures f = LearnedFeatures.of(result, Split.TEST).firstPerClass(100);
 * Table g = f.featureGram();                      // cosine Gram, samples sorted by class
 * NcReport zhu = f.report(NcConventions.zhu());
 * }</pre>
 */
public final class LearnedFeatures {

    private final Experiment experiment;
    private final Split split;
    private final double[][] features;
    private final int[] labels;
    private final double[][] classifier;
    private final double[] bias;
    private final List<String> classNames;

    LearnedFeatures(Experiment experiment, Split split, double[][] features, int[] labels, double[][] classifier,
            double[] bias, List<String> classNames) {
        if (features.length != labels.length) {
            throw new IllegalArgumentException("features: " + features.length + " rows for " + labels.length + " labels");
        }
        this.experiment = experiment;
        this.split = split;
        this.features = features;
        this.labels = labels;
        this.classifier = classifier;
        this.bias = bias;
        this.classNames = List.copyOf(classNames);
    }

    /** The features of {@code split} under the final parameters of {@code result}. */
    public static LearnedFeatures of(ExperimentResult result, Split split) {
        return of(result.directory(), split);
    }

    /** The features of {@code split} under the parameters of the last checkpoint in {@code runDirectory}. */
    public static LearnedFeatures of(Path runDirectory, Split split) {
        return ExperimentRunner.features(runDirectory, split);
    }

    /** The first {@code perClass} samples (in stored order) of each class, sorted by class. */
    public LearnedFeatures firstPerClass(int perClass) {
        if (perClass < 1) {
            throw new IllegalArgumentException("per_class: must be >= 1, got " + perClass);
        }
        List<Integer> keep = new ArrayList<>();
        for (int c = 0; c < numClasses(); c++) {
            int taken = 0;
            for (int i = 0; i < labels.length && taken < perClass; i++) {
                if (labels[i] == c) {
                    keep.add(i);
                    taken++;
                }
            }
        }
        double[][] h = new double[keep.size()][];
        int[] y = new int[keep.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = features[keep.get(i)];
            y[i] = labels[keep.get(i)];
        }
        return new LearnedFeatures(experiment, split, h, y, classifier, bias, classNames);
    }

    public Experiment experiment() {
        return experiment;
    }

    public Split split() {
        return split;
    }

    /** N × d features (the arrays themselves: do not modify). */
    public double[][] features() {
        return features;
    }

    public int[] labels() {
        return labels.clone();
    }

    /** K × d classifier weights W (the arrays themselves: do not modify). */
    public double[][] classifier() {
        return classifier;
    }

    public int numClasses() {
        return classifier.length;
    }

    public int size() {
        return features.length;
    }

    /** The NC report of these features under {@code conventions}, majority classes 0..K_A−1. */
    public NcReport report(NcConventions conventions) {
        double[][] logits = new double[features.length][numClasses()];
        for (int i = 0; i < features.length; i++) {
            for (int k = 0; k < numClasses(); k++) {
                double s = bias[k];
                for (int j = 0; j < features[i].length; j++) {
                    s += classifier[k][j] * features[i][j];
                }
                logits[i][k] = s;
            }
        }
        return NcMetrics.of(Features.of(features), labels, numClasses()).classifier(classifier, bias).logits(logits)
                .split(ClassSplit.firstMajority(experiment.kA())).conventions(conventions).report();
    }

    /** Cosine Gram of the samples in their order (sort with {@link #firstPerClass}); names {@code <class>:<i>}. */
    public Table featureGram() {
        List<String> names = new ArrayList<>();
        int[] seen = new int[numClasses()];
        for (int y : labels) {
            names.add(y + ":" + seen[y]++);
        }
        return Grams.cosine(modelName() + ": feature Gram (cosine), sorted by class",
                features, names);
    }

    /** Cosine Gram of the class means centred about {@code globalMean} (from {@link NcReport#gramCentredMeans}). */
    public Table centredMeansGram(GlobalMean globalMean) {
        NcReport r = report(NcConventions.defaults().with(globalMean));
        return Grams.normalised(modelName() + ": centred class means Gram (cosine, μ_G = "
                + globalMean.name().toLowerCase(Locale.ROOT) + ")", r.gramCentredMeans(), classLabels());
    }

    /** Cosine Gram of the classifier rows w_k. */
    public Table classifierGram() {
        return Grams.cosine(modelName() + ": classifier Gram WWᵀ (cosine)", classifier, classLabels());
    }

    private String modelName() {
        return Experiment.lower(experiment.model());
    }

    private List<String> classLabels() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < numClasses(); c++) {
            names.add(c + (c < experiment.kA() && experiment.r() > 1 ? " (maj)" : experiment.r() > 1 ? " (min)" : ""));
        }
        return names;
    }
}
