package org.deqnc.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigException;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigKey.Range;
import org.deqnc.config.ConfigSchema;
import org.deqnc.config.ConfigView;
import org.deqnc.data.DataOptions;
import org.deqnc.data.DataSource;
import org.deqnc.data.DataSources;
import org.deqnc.deq.DeqConfig;

/**
 * The strict configuration of one training run: model, encoder, feature layer, optimiser, schedule, data
 * and imbalance. Parse a {@code key = value} body (one per line, {@code #} comments) or one line of
 * {@code key=value} tokens, or use the {@link Builder}; unknown keys fail with the nearest key and the
 * accepted keys, bad values name what is accepted, and {@link #toString()} echoes the effective configuration.
 *
 * <pre>{@code
 * Experiment e = Experiment.parse("""
 *         model = deq
 *         dataset = fashion-mnist
 *         per_class = 500
 *         K_A = 3
 *         R = 10
 *         deq.hidden = 128
 *         """).withName("imb-ka3-r10");
 * }</pre>
 *
 * <p>The DEQ block is configured by every {@link DeqConfig} key behind the prefix {@code deq.} (e.g.
 * {@code deq.solver}, {@code deq.backward}), except its seed, which is the experiment's {@code seed}. The
 * explicit model applies {@code depth} untied cells of the same {@code deq.cell} kind and width. Both models
 * read the same encoder output and feed the same linear classifier, whose input is the feature vector h
 * used for the neural-collapse metrics (feature maps are global-average-pooled first).
 */
public final class Experiment extends ConfigView<Experiment> {

    /** Prefix of the embedded {@link DeqConfig} keys. */
    public static final String DEQ_PREFIX = "deq.";
    /** Value of {@code out} (and of {@code data_dir}) that selects the default location. */
    public static final String DEFAULT = "default";

    public static final ConfigKey<String> NAME = ConfigKey.ofString("name", "run",
            "run name; the default output directory is out/runs/<name>");
    public static final ConfigKey<ModelKind> MODEL = ConfigKey.ofEnum("model", ModelKind.DEQ, ModelKind.class,
            "feature layer: explicit (depth untied cells) or deq (one equilibrium layer)");
    public static final ConfigKey<EncoderKind> ENCODER = ConfigKey.ofEnum("encoder", EncoderKind.MLP,
            EncoderKind.class, "input encoder: mlp, cnn (small, CPU), resnet18 (GPU/paper profile)");
    public static final ConfigKey<Integer> ENCODER_WIDTH = ConfigKey.ofInt("encoder_width", 64, 1, 1 << 16,
            "encoder units (mlp) or channels (cnn; base width of resnet18)");
    public static final ConfigKey<Integer> DEPTH = ConfigKey.ofInt("depth", 4, 1, 1000,
            "explicit model: number of untied cells");
    public static final ConfigKey<OptimizerKind> OPTIMIZER = ConfigKey.ofEnum("optimizer", OptimizerKind.SGD,
            OptimizerKind.class, "sgd (with momentum) or adam");
    public static final ConfigKey<Double> LR = ConfigKey.ofDouble("lr", 0.01, Range.positive(),
            "initial learning rate");
    public static final ConfigKey<Double> MOMENTUM = ConfigKey.ofDouble("momentum", 0.9,
            new Range(0, true, 1, false), "sgd momentum");
    public static final ConfigKey<Double> WEIGHT_DECAY = ConfigKey.ofDouble("weight_decay", 5e-4, Range.atLeast(0),
            "L2 weight decay added to every gradient");
    public static final ConfigKey<Double> LR_DECAY = ConfigKey.ofDouble("lr_decay", 0.1, Range.openClosed(0, 1),
            "learning-rate factor applied after epochs/3 and after 2*epochs/3 epochs (Fang et al.)");
    public static final ConfigKey<Integer> EPOCHS = ConfigKey.ofInt("epochs", 6, 1, 100_000, "training epochs");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.ofInt("batch_size", 128, 1, 1 << 20,
            "mini-batch size");
    public static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 0,
            "seeds initialisation, data selection and every epoch's batch order");
    public static final ConfigKey<String> DATASET = ConfigKey.ofChoice("dataset", "fashion-mnist", DataSources::names,
            "training data (DataSources); gmm: vectors of a Gaussian mixture, synthetic: 1 x s x s images of one (in memory)");
    public static final ConfigKey<Integer> PER_CLASS = ConfigKey.ofInt("per_class", 0, 0, Integer.MAX_VALUE,
            "n_A: training samples per majority class (0 = the smallest class); minority classes keep n_A // R");
    public static final ConfigKey<Integer> TEST_PER_CLASS = ConfigKey.ofInt("test_per_class", 0, 0,
            Integer.MAX_VALUE, "test samples per class (0 = the whole balanced test split)");
    public static final ConfigKey<Integer> K_A = ConfigKey.ofInt("K_A", 3, 1, Integer.MAX_VALUE,
            "majority classes: labels 0..K_A-1 (1 <= K_A < K)");
    public static final ConfigKey<Double> R = ConfigKey.ofDouble("R", 1.0, Range.atLeast(1),
            "imbalance ratio n_A / n_B (1 = balanced)");
    public static final ConfigKey<Boolean> NORMALIZE = ConfigKey.ofBoolean("normalize", true,
            "standardise each channel with statistics of the (imbalanced) training set");
    public static final ConfigKey<String> OUT = ConfigKey.ofString("out", DEFAULT,
            "output directory; default out/runs/<name> relative to the working directory");

    /** Every key: the experiment's own, then {@code deq.*}. */
    public static final ConfigSchema SCHEMA = schema();

    private Experiment(Config config) {
        super(config);
        validate();
    }

    @Override
    protected Experiment wrap(Config config) {
        return new Experiment(config);
    }

    private static ConfigSchema schema() {
        ConfigSchema.Builder b = ConfigSchema.builder("experiment");
        for (ConfigKey<?> k : List.of(NAME, MODEL, ENCODER, ENCODER_WIDTH, DEPTH, OPTIMIZER, LR, MOMENTUM,
                WEIGHT_DECAY, LR_DECAY, EPOCHS, BATCH_SIZE, SEED, DATASET, DataOptions.DATA_DIR, PER_CLASS, TEST_PER_CLASS,
                K_A, R, NORMALIZE, DataOptions.CLASSES, DataOptions.DIM, DataOptions.SIDE, DataOptions.PER_CLASS,
                DataOptions.TEST_PER_CLASS, OUT)) {
            b.add(k);
        }
        for (ConfigKey<?> k : DeqConfig.SCHEMA.keys()) {
            if (k != DeqConfig.SEED) {
                b.add(k.renamed(DEQ_PREFIX + k.name()));
            }
        }
        return b.build();
    }

    /** All defaults. */
    public static Experiment defaults() {
        return new Experiment(SCHEMA.defaults());
    }

    /**
     * Parses a body of {@code key = value} lines ({@code #} comments, blank lines ignored) or, when the
     * text is one line, whitespace-separated {@code key=value} tokens.
     */
    public static Experiment parse(String text) {
        return new Experiment(SCHEMA.parseText(text));
    }

    /** From a map of key to value (text or typed values). */
    public static Experiment of(Map<String, ?> values) {
        return new Experiment(SCHEMA.parse(values));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The key of this schema that sets {@code deqKey} of the embedded DEQ block, e.g.
     * {@code builder().set(Experiment.deq(DeqConfig.HIDDEN), 128)} sets {@code deq.hidden}.
     */
    @SuppressWarnings("unchecked")
    public static <T> ConfigKey<T> deq(ConfigKey<T> deqKey) {
        if (DeqConfig.SCHEMA.key(deqKey.name()).orElse(null) != deqKey) {
            throw new ConfigException("experiment: '" + deqKey.name() + "' is not a DeqConfig key");
        }
        return (ConfigKey<T>) SCHEMA.key(DEQ_PREFIX + deqKey.name())
                .orElseThrow(() -> new ConfigException("experiment: DEQ key '" + deqKey.name()
                        + "' is not embedded (the seed is the experiment's own)"));
    }

    /** A table of every key with its default, accepted values and description. */
    public static String help() {
        return SCHEMA.help();
    }

    /** A copy with another {@code name}. */
    public Experiment withName(String name) {
        return with(NAME, name);
    }

    public String name() {
        return get(NAME);
    }

    public ModelKind model() {
        return get(MODEL);
    }

    public EncoderKind encoder() {
        return get(ENCODER);
    }

    public int epochs() {
        return get(EPOCHS);
    }

    public int batchSize() {
        return get(BATCH_SIZE);
    }

    public long seed() {
        return get(SEED);
    }

    public String dataset() {
        return get(DATASET);
    }

    public int kA() {
        return get(K_A);
    }

    public double r() {
        return get(R);
    }

    /** The configured data source. */
    public DataSource dataSource() {
        return DataSources.get(dataset());
    }

    /** Where the data files are and how generated data is drawn ({@code data_dir}, {@code synthetic_*}, seed). */
    public DataOptions dataOptions() {
        return DataOptions.from(asConfig());
    }

    /** K of the configured data set. */
    public int numClasses() {
        return dataSource().numClasses(dataOptions());
    }

    /** The DEQ block's configuration: the {@code deq.*} keys that were set, and the experiment's seed. */
    public DeqConfig deqConfig() {
        Map<String, Object> set = new LinkedHashMap<>();
        Config config = asConfig();
        config.asText().forEach((k, v) -> {
            if (k.startsWith(DEQ_PREFIX) && !config.isDefault(k)) {
                set.put(k.substring(DEQ_PREFIX.length()), v);
            }
        });
        set.put(DeqConfig.SEED.name(), seed());
        return DeqConfig.of(set);
    }

    /** The output directory: {@code out}, or {@code out/runs/<name>}. */
    public Path outDirectory() {
        String out = get(OUT);
        return out.equals(DEFAULT) ? Path.of("out", "runs", name()) : Path.of(out);
    }

    /** Cross-key rules that single keys cannot check. */
    private void validate() {
        int k = numClasses();
        if (kA() >= k) {
            throw new ConfigException("experiment: K_A must satisfy 1 <= K_A < K = " + k + " (dataset=" + dataset()
                    + "), got " + kA());
        }
        if (!name().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new ConfigException("experiment: name must be letters, digits, '_', '.' or '-' (it names a "
                    + "directory), got '" + name() + "'");
        }
        if (dataSource().vectors(dataOptions()) && encoder() != EncoderKind.MLP) {
            throw new ConfigException("experiment: encoder=" + lower(encoder()) + " needs image data; dataset="
                    + dataset() + " gives vectors, use encoder=mlp");
        }
        if (deqConfig().get(DeqConfig.DTYPE) != DeqConfig.DType.FLOAT32) {
            throw new ConfigException("experiment: deq.dtype must be float32 here (data and encoder are float32), got "
                    + lower(deqConfig().get(DeqConfig.DTYPE)));
        }
        if (deqConfig().cell() == org.deqnc.deq.CellKind.CONV && encoder() == EncoderKind.MLP) {
            throw new ConfigException("experiment: deq.cell=conv needs feature maps; encoder=mlp gives vectors, "
                    + "use encoder=cnn or resnet18");
        }
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Fluent builder; see {@link ConfigView.Builder} for when values are checked. */
    public static final class Builder extends ConfigView.Builder<Experiment, Builder> {

        private Builder() {
            super(SCHEMA, Experiment::new, null);
        }

        public Builder name(String v) {
            return set(NAME, v);
        }

        public Builder model(ModelKind v) {
            return set(MODEL, v);
        }

        public Builder encoder(EncoderKind v) {
            return set(ENCODER, v);
        }

        public Builder optimizer(OptimizerKind v) {
            return set(OPTIMIZER, v);
        }

        public Builder lr(double v) {
            return set(LR, v);
        }

        public Builder epochs(int v) {
            return set(EPOCHS, v);
        }

        public Builder batchSize(int v) {
            return set(BATCH_SIZE, v);
        }

        public Builder seed(long v) {
            return set(SEED, v);
        }

        public Builder dataset(String v) {
            return set(DATASET, v);
        }

        /** Step imbalance: K_A majority classes, ratio R. */
        public Builder imbalance(int kA, double r) {
            return set(K_A, kA).set(R, r);
        }

        public Builder out(Path dir) {
            return set(OUT, dir.toString());
        }
    }
}
