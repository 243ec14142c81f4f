package org.deqnc.magic;

import org.deqnc.chart.Figures;
import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.data.DataOptions;
import org.deqnc.data.DataSource;
import org.deqnc.data.DataSources;
import org.deqnc.data.LabeledData;
import org.deqnc.data.Split;
import org.deqnc.data.StepImbalance;
import org.deqnc.render.ChartRendering;
import org.deqnc.render.TableRendering;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.Arrays;
import java.util.List;

/**
 * {@code %dataset NAME [split=…] [K_A=… R=… n_A=… seed=…] [as=VAR]}: loads a data set (optionally
 * step-imbalanced), describes it and draws its class counts, majority and minority coloured apart.
 */
final class DatasetMagic {

    static final ConfigKey<Split> SPLIT = ConfigKey.ofEnum("split", Split.TRAIN, Split.class, "which official part to read");
    static final ConfigKey<Integer> K_A = ConfigKey.ofInt("K_A", 0, 0, 1000,
            "number of majority classes of a step imbalance (0: none)");
    static final ConfigKey<Double> R = ConfigKey.ofDouble("R", 1.0, ConfigKey.Range.atLeast(1), "imbalance ratio n_A / n_B");
    static final ConfigKey<Integer> N_A = ConfigKey.ofInt("n_A", 0, 0, Integer.MAX_VALUE,
            "samples per majority class (0: the smallest class count, StepImbalance.SMALLEST_CLASS)");
    static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 0, "seed of the subsampling and of generated data");
    static final ConfigKey<String> AS = ConfigKey.ofString("as", "", "notebook variable that receives the LabeledData");

    /** The magic's own keys, then every data option but the seed (data_dir, synthetic_*). */
    static final ConfigSchema SCHEMA = schema();

    private DatasetMagic() {
    }

    private static ConfigSchema schema() {
        ConfigSchema.Builder b = ConfigSchema.builder("%dataset").add(SPLIT).add(K_A).add(R).add(N_A).add(SEED).add(AS);
        DataOptions.SCHEMA.keys().stream().filter(k -> k != DataOptions.SEED).forEach(b::add);
        return b.build();
    }

    static MagicSpec spec() {
        MagicSpec.ArgumentCompleter keys = KeyValues.completer(SCHEMA);
        return MagicSpec.line("dataset")
                .syntax("%dataset NAME [split=train|test] [K_A=3 R=10 [n_A=N] [seed=S]] [data_dir=DIR] [synthetic_classes=K ...] [as=VAR]")
                .summary("Load and describe a data set (optionally step-imbalanced), with a class-count bar chart.")
                .help("NAME: " + String.join(", ", DataSources.names()) + "\n"
                        + "Java: DataSources.get(NAME).load(DataOptions.parse(\"...\"), split), StepImbalance.of(K_A, R).apply(data, n_A, seed), data.classCountTable(K_A)\n"
                        + "Example: %dataset fashion-mnist K_A=3 R=10 as=train\n\n" + SCHEMA.help())
                .completer((previous, prefix) -> previous.isEmpty() ? DataSources.names() : keys.complete(previous, prefix))
                .runs((kernel, args) -> {
                    if (args.isEmpty() || args.get(0).contains("=")) {
                        throw new MagicException("%dataset", "NAME: missing, the first argument names the data set; accepted: "
                                + String.join(", ", DataSources.names()));
                    }
                    DataSource source = DataSources.get(args.get(0));
                    Config c = KeyValues.parse(SCHEMA, args.subList(1, args.size()));
                    int kA = c.get(K_A);
                    // Argument checks first: loading takes seconds.
                    if (kA == 0 && (c.get(R) != 1.0 || c.get(N_A) != 0)) {
                        throw new MagicException("%dataset", "R, n_A: need K_A >= 1 (the number of majority classes), got K_A=0");
                    }
                    if (!c.get(AS).isEmpty()) {
                        NotebookValues.requireIdentifier("%dataset", "as", c.get(AS));
                    }
                    LabeledData data = source.load(DataOptions.from(c), c.get(SPLIT));
                    if (kA > 0) {
                        data = StepImbalance.of(kA, c.get(R)).apply(data, c.get(N_A), c.get(SEED));
                    }
                    if (!c.get(AS).isEmpty()) {
                        NotebookValues.define(kernel, "%dataset", "as", c.get(AS), LabeledData.class, data);
                    }
                    kernel.display(describe(source, c, data));
                    int groups = kA > 0 ? kA : data.numClasses();
                    kernel.display(ChartRendering.displayData(kernel, Figures.bar(data.classCountTable(groups))
                            .x("class").y("count").by("group").title("Class counts: " + source.name() + " " + c.get(SPLIT).name().toLowerCase())));
                    return null;
                });
    }

    private static DisplayData describe(DataSource source, Config c, LabeledData data) {
        int[] counts = data.classCounts();
        List<List<String>> rows = List.of(
                List.of("dataset", source.name()),
                List.of("split", c.get(SPLIT).name().toLowerCase()),
                List.of("samples N", String.valueOf(data.size())),
                List.of("sample shape", Arrays.toString(data.sampleShape())),
                List.of("classes K", String.valueOf(data.numClasses())),
                List.of("class counts", Arrays.toString(counts)),
                List.of("imbalance", c.get(K_A) > 0 ? StepImbalance.of(c.get(K_A), c.get(R)).toString() : "none"),
                List.of("source", data.source()));
        String caption = source.name() + (c.get(AS).isEmpty() ? "" : " → " + c.get(AS));
        List<String> header = List.of("property", "value");
        return TableRendering.displayData(caption, header, rows);
    }
}
