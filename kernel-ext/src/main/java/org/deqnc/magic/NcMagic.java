package org.deqnc.magic;

import ai.djl.ndarray.NDArray;
import org.deqnc.config.DidYouMean;
import org.deqnc.nc.Features;
import org.deqnc.nc.GlobalMean;
import org.deqnc.nc.Nc1Variant;
import org.deqnc.nc.NcConventions;
import org.deqnc.nc.NcMetrics;
import org.deqnc.render.DomainRendering;
import org.deqnc.train.ExperimentResult;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code %nc FEATURES LABELS [W] [--global-mean=class|sample] [--nc1=…] [--classes=K]}: the
 * {@link NcMetrics} report of notebook variables, every convention stated.
 */
final class NcMagic {

    private static final String MAGIC = "%nc";
    /** Option name to its accepted values (empty: a positive integer). */
    private static final Map<String, List<String>> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("--global-mean", List.of("class", "sample"));
        OPTIONS.put("--nc1", Arrays.stream(Nc1Variant.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
        OPTIONS.put("--classes", List.of());
    }

    private NcMagic() {
    }

    static MagicSpec spec() {
        return MagicSpec.line("nc")
                .syntax("%nc FEATURES LABELS [W] [--global-mean=class|sample] [--nc1=pinv|svd|quotient|cdnv] [--classes=K]  |  %nc RUN")
                .summary("Neural-collapse report (NC1-NC4 and more) of notebook variables, with the conventions used.")
                .help("FEATURES  notebook variable: double[][] (N x d), Features or a 2-D floating NDArray\n"
                        + "LABELS    notebook variable: int[] of length N with labels in [0, K)\n"
                        + "W         optional notebook variable: the K x d classifier, double[][] or NDArray (adds NC3, NC4)\n"
                        + "--global-mean=class|sample   mean of class means (Papyan; default) or of samples (Zhu)\n"
                        + "--nc1=pinv|svd|quotient|cdnv which NC1 variant the report headlines (all are computed)\n"
                        + "--classes=K  number of classes (default: largest label + 1)\n"
                        + "RUN       alone: an %%experiment result; shows its final report (ExperimentResult.finalReport())\n"
                        + "Java: NcMetrics.of(Features.of(h), labels, K).classifier(w).conventions(c).report()\n"
                        + "Example: %nc H y W --global-mean=sample --nc1=quotient")
                .completer((previous, prefix) -> {
                    int eq = prefix.indexOf('=');
                    if (eq > 0 && OPTIONS.containsKey(prefix.substring(0, eq))) {
                        return OPTIONS.get(prefix.substring(0, eq)).stream().map(v -> prefix.substring(0, eq + 1) + v).toList();
                    }
                    return prefix.startsWith("-") ? OPTIONS.keySet().stream().map(o -> o + "=").toList() : List.of();
                })
                .runs((kernel, args) -> {
                    kernel.display(DomainRendering.ncReport(report(kernel, args)));
                    return null;
                });
    }

    static org.deqnc.nc.NcReport report(BaseKernel kernel, List<String> args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                if (!OPTIONS.containsKey(name)) {
                    throw new MagicException(MAGIC, "unknown option '" + name + "'" + DidYouMean.hint(name, OPTIONS.keySet())
                            + "; accepted: " + String.join(", ", OPTIONS.keySet()));
                }
                if (eq < 0) {
                    throw new MagicException(MAGIC, name + ": needs a value, e.g. " + name + "=" + example(name));
                }
                if (options.put(name, a.substring(eq + 1)) != null) {
                    throw new MagicException(MAGIC, name + ": given twice");
                }
            } else {
                positional.add(a);
            }
        }
        if (positional.size() == 1 && options.isEmpty()) {
            return ((ExperimentResult) NotebookValues.variable(kernel, MAGIC, "RUN", positional.get(0), ExperimentResult.class)).finalReport();
        }
        if (positional.size() < 2 || positional.size() > 3) {
            throw new MagicException(MAGIC, "expected FEATURES LABELS [W] (2 or 3 notebook variables) or RUN alone, got " + positional.size()
                    + (positional.isEmpty() ? "" : ": " + String.join(" ", positional)));
        }
        Object h = NotebookValues.variable(kernel, MAGIC, "FEATURES", positional.get(0), double[][].class, Features.class, NDArray.class);
        int[] labels = (int[]) NotebookValues.variable(kernel, MAGIC, "LABELS", positional.get(1), int[].class);
        Features features = h instanceof Features f ? f : h instanceof NDArray a ? Features.of(a) : Features.of((double[][]) h);
        int classes = options.containsKey("--classes") ? positiveInt("--classes", options.get("--classes"))
                : Arrays.stream(labels).max().orElse(-1) + 1;
        NcConventions conventions = NcConventions.defaults().with(
                choice("--global-mean", options.getOrDefault("--global-mean", "class")).equals("class")
                        ? GlobalMean.CLASS_MEAN : GlobalMean.SAMPLE,
                Nc1Variant.valueOf(choice("--nc1", options.getOrDefault("--nc1", "pinv")).toUpperCase(Locale.ROOT)));
        NcMetrics metrics = NcMetrics.of(features, labels, classes).conventions(conventions);
        if (positional.size() == 3) {
            Object w = NotebookValues.variable(kernel, MAGIC, "W", positional.get(2), double[][].class, NDArray.class);
            metrics = w instanceof NDArray a ? metrics.classifier(a, null) : metrics.classifier((double[][]) w);
        }
        return metrics.report();
    }

    private static String choice(String option, String value) {
        List<String> accepted = OPTIONS.get(option);
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!accepted.contains(v)) {
            throw new MagicException(MAGIC, option + ": unknown value '" + value + "'" + DidYouMean.hint(v, accepted)
                    + "; accepted: " + String.join(", ", accepted));
        }
        return v;
    }

    private static int positiveInt(String option, String value) {
        try {
            int k = Integer.parseInt(value.trim());
            if (k >= 2) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MagicException(MAGIC, option + ": must be an integer >= 2, got '" + value + "'");
    }

    private static String example(String option) {
        List<String> values = OPTIONS.get(option);
        return values.isEmpty() ? "10" : values.get(0);
    }
}
