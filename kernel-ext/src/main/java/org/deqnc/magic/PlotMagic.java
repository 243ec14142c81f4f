package org.deqnc.magic;

import org.deqnc.chart.Chart;
import org.deqnc.chart.ChartKind;
import org.deqnc.chart.Figures;
import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.render.ChartRendering;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

/** {@code %plot TABLE x=… y=…[,…] [kind=…] [by=…] [log_y=…] [title=…] [save=…]}: a notebook Tablesaw table as a chart. */
final class PlotMagic {

    static final ConfigKey<ChartKind> KIND = ConfigKey.ofEnum("kind", ChartKind.LINE, ChartKind.class, "the chart kind");
    static final ConfigKey<String> X = ConfigKey.ofString("x", "", "x column (row labels of a heatmap)");
    static final ConfigKey<List<String>> Y = ConfigKey.ofList("y", List.of(), null, "numeric column(s), comma-separated");
    static final ConfigKey<String> BY = ConfigKey.ofString("by", "", "column whose values split rows into series");
    static final ConfigKey<Boolean> LOG_Y = ConfigKey.ofBoolean("log_y", false, "base-10 logarithmic y axis");
    static final ConfigKey<String> TITLE = ConfigKey.ofString("title", "", "chart title (quote it if it has spaces)");
    static final ConfigKey<String> SAVE = ConfigKey.ofString("save", "", "also write the chart to this .png, .svg or .html file");

    static final ConfigSchema SCHEMA = ConfigSchema.builder("%plot")
            .add(KIND).add(X).add(Y).add(BY).add(LOG_Y).add(TITLE).add(SAVE).build();

    private PlotMagic() {
    }

    static MagicSpec spec() {
        MagicSpec.ArgumentCompleter keys = KeyValues.completer(SCHEMA);
        return MagicSpec.line("plot")
                .syntax("%plot TABLE x=COL y=COL[,COL...] [kind=line|scatter|bar|heatmap] [by=COL] [log_y=true] [title=\"...\"] [save=out/figures/f.png]")
                .summary("Draw a notebook Tablesaw table as a Plotly line, scatter, bar or heatmap chart (with a static PNG).")
                .help("TABLE: a notebook variable holding a tech.tablesaw.api.Table.\n"
                        + "Java: Figures.of(kind, table).x(..).y(..).by(..).logY(..).title(..), chart.save(path)\n"
                        + "Example: %plot t x=epoch y=nc1,nc2 by=model log_y=true save=out/figures/nc.png\n\n" + SCHEMA.help())
                .completer((previous, prefix) -> previous.isEmpty() ? List.of() : keys.complete(previous, prefix))
                .runs((kernel, args) -> {
                    if (args.isEmpty() || args.get(0).contains("=")) {
                        throw new MagicException("%plot", "TABLE: missing, the first argument names a notebook Table variable");
                    }
                    Table table = (Table) NotebookValues.variable(kernel, "%plot", "TABLE", args.get(0), Table.class);
                    Config c = KeyValues.parse(SCHEMA, args.subList(1, args.size()));
                    Chart chart = Figures.of(c.get(KIND), table).y(c.get(Y)).logY(c.get(LOG_Y));
                    if (!c.get(X).isEmpty()) {
                        chart.x(c.get(X));
                    }
                    if (!c.get(BY).isEmpty()) {
                        chart.by(c.get(BY));
                    }
                    chart.title(c.get(TITLE).isEmpty() ? table.name() : c.get(TITLE));
                    // Drawing checks the columns, so a bad one fails before anything is saved or shown.
                    chart.series();
                    if (!c.get(SAVE).isEmpty()) {
                        chart.save(Path.of(c.get(SAVE)));
                    }
                    kernel.display(ChartRendering.displayData(kernel, chart));
                    return null;
                });
    }
}
