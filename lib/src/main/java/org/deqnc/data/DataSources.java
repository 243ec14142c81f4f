package org.deqnc.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.deqnc.config.ConfigException;
import org.deqnc.config.DidYouMean;
import org.deqnc.engine.ComputationInterruptedException;

/**
 * The registry of data sources by name: the one list that {@code %dataset}, {@code %%experiment}'s
 * {@code dataset} key and the Java API accept.
 *
 * <pre>{@code
 * DataSource src = DataSources.get("cifar100-coarse");
 * src.missingFiles(DataOptions.defaults()).ifPresent(System.out::println);   // ...; run data-scripts/fetch-cifar.sh ...
 * LabeledData train = src.load(DataOptions.defaults(), Split.TRAIN);
 * }</pre>
 */
public final class DataSources {

    /** Streams of {@link SeededShuffle#streamSeed} that draw the mixture, its training and its test samples. */
    private static final long MIXTURE_STREAM = -4;
    private static final long MIXTURE_TRAIN_STREAM = MIXTURE_STREAM - 1;
    private static final long MIXTURE_TEST_STREAM = MIXTURE_STREAM - 2;

    private static final Map<String, DataSource> SOURCES = new LinkedHashMap<>();

    static {
        register(DataSource.files("fashion-mnist", "Fashion-MNIST: 28x28 grey images of clothing, 10 classes",
                FashionMnist.NUM_CLASSES, new int[] {1, FashionMnist.SIDE, FashionMnist.SIDE}, FashionMnist::directory,
                FashionMnist::load, FashionMnist::missingFiles, dir -> FashionMnist.FETCH_COMMAND));
        register(cifar("cifar10", "CIFAR-10: 32x32 colour images, 10 classes", Cifar.Variant.CIFAR10));
        register(cifar("cifar100", "CIFAR-100 with its 100 fine labels", Cifar.Variant.CIFAR100_FINE));
        register(cifar("cifar100-coarse", "CIFAR-100 with its 20 coarse (superclass) labels",
                Cifar.Variant.CIFAR100_COARSE));
        register(DataSource.generated("gmm",
                "vectors of a K-class Gaussian mixture in synthetic_dim dimensions, generated from the seed",
                o -> o.get(DataOptions.CLASSES), o -> new int[] {o.get(DataOptions.DIM)}, (o, split) -> mixture(o, split, false)));
        register(DataSource.generated("synthetic",
                "1 x s x s images of a K-class Gaussian mixture (s = synthetic_side), generated from the seed",
                o -> o.get(DataOptions.CLASSES), o -> new int[] {1, o.get(DataOptions.SIDE), o.get(DataOptions.SIDE)},
                (o, split) -> mixture(o, split, true)));
    }

    private DataSources() {
    }

    /** Every source, in the order error messages and completions list them. */
    public static List<DataSource> all() {
        return List.copyOf(SOURCES.values());
    }

    /** Every name, in the order of {@link #all()}. */
    public static List<String> names() {
        return List.copyOf(SOURCES.keySet());
    }

    /** The source named {@code name} (case-insensitive), if any. */
    public static Optional<DataSource> find(String name) {
        return Optional.ofNullable(SOURCES.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    /** The source named {@code name}, or a one-line error with the nearest name and the accepted ones. */
    public static DataSource get(String name) {
        return find(name).orElseThrow(() -> new ConfigException("dataset: unknown '" + name + "'"
                + DidYouMean.hint(name, SOURCES.keySet()) + "; accepted: " + String.join(", ", SOURCES.keySet())));
    }

    private static void register(DataSource source) {
        SOURCES.put(source.name(), source);
    }

    private static DataSource cifar(String name, String description, Cifar.Variant variant) {
        return DataSource.files(name, description, variant.numClasses(), new int[] {3, Cifar.SIDE, Cifar.SIDE},
                Cifar::directory, (dir, split) -> Cifar.load(variant, dir, split), dir -> Cifar.missingFiles(variant, dir),
                Cifar::fetchCommand);
    }

    /**
     * K balanced Gaussian classes in p dimensions (Ling et al.'s scaling x = (mu_k + xi) / sqrt(p)), means with
     * N(0, 1) entries, so class means are about sqrt(2) noise norms apart: separable, but not trivially at the
     * first step. Train and test are independent draws of one mixture. {@code gmm} gives the vectors
     * (p = {@code synthetic_dim}); {@code synthetic} lays each out as a 1 x s x s image (p = s * s), row-major.
     */
    private static LabeledData mixture(DataOptions o, Split split, boolean images) {
        int k = o.get(DataOptions.CLASSES);
        int side = o.get(DataOptions.SIDE);
        int p = images ? side * side : o.get(DataOptions.DIM);
        boolean train = split == Split.TRAIN;
        int perClass = o.get(train ? DataOptions.PER_CLASS : DataOptions.TEST_PER_CLASS);
        requireAffordable(split, (long) perClass * k, p);
        Random rnd = new Random(SeededShuffle.streamSeed(o.seed(), MIXTURE_STREAM));
        GaussianMixture.Builder b = GaussianMixture.builder(p);
        for (int c = 0; c < k; c++) {
            double[] mean = new double[p];
            for (int j = 0; j < p; j++) {
                mean[j] = rnd.nextGaussian();
            }
            b.addIsotropicClass(mean, 1.0);
        }
        long seed = SeededShuffle.streamSeed(o.seed(), train ? MIXTURE_TRAIN_STREAM : MIXTURE_TEST_STREAM);
        LabeledData vectors = b.build().sample(perClass * k, seed).toLabeledData();
        return images ? asImages(vectors, side) : vectors;
    }

    /**
     * Refuses a mixture whose samples could not be held, before drawing any: sampling keeps each value as a
     * float64 sample and a float64 noise draw, then a float32 copy (20 bytes a value).
     */
    private static void requireAffordable(Split split, long samples, int dim) {
        long values = samples * dim;
        long bytes = values * 20;
        long heap = Runtime.getRuntime().maxMemory();
        if (values > Integer.MAX_VALUE - 8 || bytes > heap) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "synthetic_per_class x synthetic_classes x "
                    + "synthetic_dim: the %s split would hold %d samples x %d = %d values (about %.1f GiB), more than "
                    + "%s; use smaller sizes", split.name().toLowerCase(Locale.ROOT), samples, dim, values, bytes / 1073741824.0,
                    values > Integer.MAX_VALUE - 8 ? "a Java array holds (2^31 - 9)"
                            : String.format(Locale.ROOT, "this JVM's heap (%.1f GiB)", heap / 1073741824.0)));
        }
    }

    /** The same samples with shape (1, side, side). */
    private static LabeledData asImages(LabeledData vectors, int side) {
        int p = side * side;
        float[] features = new float[vectors.size() * p];
        for (int i = 0; i < vectors.size(); i++) {
            ComputationInterruptedException.check("synthetic: laying out images");
            System.arraycopy(vectors.sample(i), 0, features, i * p, p);
        }
        return new LabeledData(features, new int[] {1, side, side}, vectors.labels(), vectors.classNames(),
                vectors.source() + " as 1x" + side + "x" + side + " images");
    }
}
