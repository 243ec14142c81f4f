package org.deqnc.data;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One source of labelled data, as listed by {@link DataSources}: its name, number of classes, sample shape,
 * how to load a split, and, for sources read from files, how to tell that the files are missing and which
 * command fetches them. Every entry point ({@code %dataset}, {@code %%experiment}, the Java API) reads data
 * through it, so a name that works in one works in all.
 */
public final class DataSource {

    private final String name;
    private final String description;
    private final Function<DataOptions, Integer> numClasses;
    private final Function<DataOptions, int[]> sampleShape;
    private final BiFunction<DataOptions, Split, LabeledData> loader;
    private final Function<DataOptions, Optional<String>> missingFiles;
    private final Function<DataOptions, String> fetchCommand;
    private final boolean generated;

    private DataSource(String name, String description, Function<DataOptions, Integer> numClasses,
            Function<DataOptions, int[]> sampleShape, BiFunction<DataOptions, Split, LabeledData> loader,
            Function<DataOptions, Optional<String>> missingFiles, Function<DataOptions, String> fetchCommand) {
        this.name = name;
        this.description = description;
        this.numClasses = numClasses;
        this.sampleShape = sampleShape;
        this.loader = loader;
        this.missingFiles = missingFiles;
        this.fetchCommand = fetchCommand;
        this.generated = missingFiles == null;
    }

    /** A source read from files in {@code data_dir}, or in {@code configured} when it is the default. */
    static DataSource files(String name, String description, int numClasses, int[] sampleShape,
            Supplier<Path> configured, BiFunction<Path, Split, LabeledData> loader,
            Function<Path, Optional<String>> missingFiles, Function<Path, String> fetchCommand) {
        Function<DataOptions, Path> dir = o -> o.dataDir().orElseGet(configured);
        return new DataSource(name, description, o -> numClasses, o -> sampleShape,
                (o, split) -> loader.apply(dir.apply(o), split), o -> missingFiles.apply(dir.apply(o)),
                o -> fetchCommand.apply(dir.apply(o)));
    }

    /** A source generated in memory: no files, nothing to fetch. */
    static DataSource generated(String name, String description, Function<DataOptions, Integer> numClasses,
            Function<DataOptions, int[]> sampleShape, BiFunction<DataOptions, Split, LabeledData> loader) {
        return new DataSource(name, description, numClasses, sampleShape, loader, null, o -> "");
    }

    /** The name used by configurations and magics, e.g. {@code fashion-mnist}. */
    public String name() {
        return name;
    }

    /** One line: what the data is. */
    public String description() {
        return description;
    }

    /** K, the number of classes (fixed for files, {@code synthetic_classes} for generated sources). */
    public int numClasses(DataOptions options) {
        return numClasses.apply(options);
    }

    /** The shape of one sample, e.g. {@code [1, 28, 28]} for images or {@code [p]} for vectors. */
    public int[] sampleShape(DataOptions options) {
        return sampleShape.apply(options).clone();
    }

    /** Whether samples are vectors (rank 1) rather than images: only an mlp encoder reads them. */
    public boolean vectors(DataOptions options) {
        return sampleShape.apply(options).length == 1;
    }

    /** Whether the data is generated in memory (nothing to fetch). */
    public boolean isGenerated() {
        return generated;
    }

    /** {@code split}, read from {@code data_dir} (or the reader's configured directory) or generated. */
    public LabeledData load(DataOptions options, Split split) {
        return loader.apply(Objects.requireNonNull(options, "options"), Objects.requireNonNull(split, "split"));
    }

    /**
     * Empty when every file of both splits is present; otherwise one line naming the first missing file and
     * the command that fetches it. Checks names and sizes only, so it is cheap enough to run before a sweep.
     */
    public Optional<String> missingFiles(DataOptions options) {
        return generated ? Optional.empty() : missingFiles.apply(options);
    }

    /** The shell command that fetches the files into the directory {@code options} selects; empty if generated. */
    public String fetchCommand(DataOptions options) {
        return fetchCommand.apply(options);
    }

    @Override
    public String toString() {
        return name;
    }
}
