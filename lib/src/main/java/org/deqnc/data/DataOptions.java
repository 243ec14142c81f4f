package org.deqnc.data;

import java.nio.file.Path;
import java.util.Optional;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.config.ConfigView;

/**
 * What a {@link DataSource} needs besides its name: where its files are, and the shape and seed of the
 * generated sources ({@code gmm}, {@code synthetic}). The keys are declared once here; configurations that
 * read data ({@code %%experiment}, {@code %dataset}) embed them under the same names, and
 * {@link #from(Config)} picks them out of such a configuration.
 *
 * <pre>{@code
 * DataOptions o = DataOptions.parse("synthetic_classes=5 synthetic_dim=8 seed=1");
 * LabeledData train = DataSources.get("gmm").load(o, Split.TRAIN);
 * }</pre>
 */
public final class DataOptions extends ConfigView<DataOptions> {

    /** Value of {@link #DATA_DIR} that selects each reader's configured directory. */
    public static final String DEFAULT_DIR = "default";

    public static final ConfigKey<String> DATA_DIR = ConfigKey.ofString("data_dir", DEFAULT_DIR,
            "directory of the data files; default: the reader's configured directory");
    public static final ConfigKey<Integer> CLASSES = ConfigKey.ofInt("synthetic_classes", 4, 2, 1000,
            "gmm, synthetic: number of classes K");
    public static final ConfigKey<Integer> DIM = ConfigKey.ofInt("synthetic_dim", 16, 1, 1 << 16,
            "gmm: input dimension p");
    public static final ConfigKey<Integer> SIDE = ConfigKey.ofInt("synthetic_side", 8, 4, 256,
            "synthetic: image side s (one channel; a mixture in s*s dimensions)");
    public static final ConfigKey<Integer> PER_CLASS = ConfigKey.ofInt("synthetic_per_class", 64, 3,
            1 << 20, "gmm, synthetic: training samples generated per class (before imbalance)");
    public static final ConfigKey<Integer> TEST_PER_CLASS = ConfigKey.ofInt("synthetic_test_per_class",
            32, 1, 1 << 20, "gmm, synthetic: test samples per class");
    public static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 0, "seed of the generated sources");

    /** Every key above, in this order. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder("data")
            .add(DATA_DIR).add(CLASSES).add(DIM).add(SIDE).add(PER_CLASS).add(TEST_PER_CLASS).add(SEED).build();

    private DataOptions(Config config) {
        super(config);
    }

    @Override
    protected DataOptions wrap(Config config) {
        return new DataOptions(config);
    }

    /** All defaults: each reader's configured directory, K = 4 generated classes, seed 0. */
    public static DataOptions defaults() {
        return new DataOptions(SCHEMA.defaults());
    }

    /** Parses {@code key=value} tokens (or a multi-line body) of the keys above. */
    public static DataOptions parse(String text) {
        return new DataOptions(SCHEMA.parseText(text));
    }

    /**
     * The data options set in {@code config}, a configuration of another schema that embeds some of the keys
     * above by name (its own {@code seed} included); keys it lacks or leaves at their default stay default.
     */
    public static DataOptions from(Config config) {
        return new DataOptions(SCHEMA.select(config));
    }

    /** {@code data_dir}, or empty for each reader's configured directory. */
    public Optional<Path> dataDir() {
        String dir = get(DATA_DIR);
        return dir.equals(DEFAULT_DIR) ? Optional.empty() : Optional.of(Path.of(dir));
    }

    public long seed() {
        return get(SEED);
    }
}
