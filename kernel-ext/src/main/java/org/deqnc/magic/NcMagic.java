package org.deqnc.magic;

import ai.djl.ndarray.NDArray;
import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.nc.Features;
import org.deqnc.nc.NcConventions;
import org.deqnc.nc.NcMetrics;
import org.deqnc.nc.NcReport;
import org.deqnc.render.DomainRendering;
import org.deqnc.train.ExperimentResult;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code %nc FEATURES LABELS [W] [global_mean=class|sample] [nc1=…] [classes=K] …}: the {@link NcMetrics}
 * report of notebook variables, every convention stated; the keys are {@link NcConventions#SCHEMA}'s.
 */
final class NcMagic {

    private static final String MAGIC = "%nc";

    static final ConfigKey<Integer> CLASSES = ConfigKey.ofInt("classes", 0, 0, 1 << 20,
            "number of classes K (0: largest label + 1)");

    /** Every {@link NcConventions} key, then the number of classes. */
    static final ConfigSchema SCHEMA = schema();

    private NcMagic() {
    }

    private static ConfigSchema schema() {
        ConfigSchema.Builder b = ConfigSchema.builder(MAGIC);
        NcConventions.SCHEMA.keys().forEach(b::add);
        return b.add(CLASSES).build();
    }

    static MagicSpec spec() {
        MagicSpec.ArgumentCompleter keys = KeyValues.completer(SCHEMA);
        return MagicSpec.line("nc")
                .syntax("%nc FEATURES LABELS [W] [global_mean=class|sample] [nc1=pinv|svd|quotient|cdnv] [classes=K] [key=value ...]  |  %nc RUN")
                .summary("Neural-collapse report (NC1-NC4 and more) of notebook variables, with the conventions used.")
                .help("FEATURES  notebook variable: double[][] (N x d), Features or a 2-D floating NDArray\n"
                        + "LABELS    notebook variable: int[] of length N with labels in [0, K)\n"
                        + "W         optional notebook variable: the K x d classifier, double[][] or NDArray (adds NC3, NC4)\n"
                        + "RUN       alone: an %%experiment result; shows its final report (ExperimentResult.finalReport())\n"
                        + "Java: NcMetrics.of(Features.of(h), labels, K).classifier(w).conventions(NcConventions.parse(\"nc1=svd\")).report()\n"
                        + "Example: %nc H y W global_mean=sample nc1=quotient\n\n" + SCHEMA.help())
                .completer((previous, prefix) -> prefix.contains("=") || previous.size() >= 2 ? keys.complete(previous, prefix) : List.of())
                .runs((kernel, args) -> {
                    kernel.display(DomainRendering.ncReport(report(kernel, args)));
                    return null;
                });
    }

    static NcReport report(BaseKernel kernel, List<String> args) {
        List<String> oldForm = args.stream().filter(a -> a.startsWith("--")).toList();
        if (!oldForm.isEmpty()) {
            throw new MagicException(MAGIC, "options are key=value like every magic's: write "
                    + oldForm.stream().map(NcMagic::newForm).collect(Collectors.joining(" ")) + " instead of "
                    + String.join(" ", oldForm));
        }
        List<String> positional = new ArrayList<>();
        List<String> keyValues = new ArrayList<>();
        args.forEach(a -> (a.contains("=") ? keyValues : positional).add(a));
        if (positional.size() == 1 && keyValues.isEmpty()) {
            return ((ExperimentResult) NotebookValues.variable(kernel, MAGIC, "RUN", positional.get(0), ExperimentResult.class)).finalReport();
        }
        if (positional.size() < 2 || positional.size() > 3) {
            throw new MagicException(MAGIC, "expected FEATURES LABELS [W] (2 or 3 notebook variables) or RUN alone, got " + positional.size()
                    + (positional.isEmpty() ? "" : ": " + String.join(" ", positional)));
        }
        Config c = KeyValues.parse(SCHEMA, keyValues);
        Object h = NotebookValues.variable(kernel, MAGIC, "FEATURES", positional.get(0), double[][].class, Features.class, NDArray.class);
        int[] labels = (int[]) NotebookValues.variable(kernel, MAGIC, "LABELS", positional.get(1), int[].class);
        Features features = h instanceof Features f ? f : h instanceof NDArray a ? Features.of(a) : Features.of((double[][]) h);
        int classes = c.get(CLASSES) > 0 ? c.get(CLASSES) : Arrays.stream(labels).max().orElse(-1) + 1;
        NcMetrics metrics = NcMetrics.of(features, labels, classes).conventions(NcConventions.from(c));
        if (positional.size() == 3) {
            Object w = NotebookValues.variable(kernel, MAGIC, "W", positional.get(2), double[][].class, NDArray.class);
            metrics = w instanceof NDArray a ? metrics.classifier(a, null) : metrics.classifier((double[][]) w);
        }
        return metrics.report();
    }

    /** {@code --global-mean=sample} as {@code global_mean=sample}. */
    private static String newForm(String old) {
        int eq = old.indexOf('=');
        String name = (eq < 0 ? old.substring(2) : old.substring(2, eq)).replace('-', '_');
        return name + "=" + (eq < 0 ? "…" : old.substring(eq + 1));
    }
}
