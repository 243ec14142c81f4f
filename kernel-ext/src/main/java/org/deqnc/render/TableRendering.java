package org.deqnc.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumberColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tablesaw tables as notebook outputs: an HTML table plus an aligned text/plain fallback, so they
 * read the same in JupyterLab, nbconvert HTML, GitHub and text diffs. Long tables are cut at
 * {@link #MAX_ROWS} with a note saying so.
 */
public final class TableRendering {

    public static final int MAX_ROWS = 200;

    private TableRendering() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text(table));
                });
    }

    /** Both representations in one bundle, for {@code kernel.display(...)} from magics. */
    public static DisplayData displayData(Table table) {
        DisplayData dd = new DisplayData(text(table));
        dd.putHTML(html(table));
        return dd;
    }

    /** A small table given as rows of text (e.g. properties of a result), as HTML and aligned text. */
    public static DisplayData displayData(String caption, List<String> header, List<List<String>> rows) {
        DisplayData dd = new DisplayData(Html.textTable(caption, header, rows));
        dd.putHTML(Html.table(caption, header, rows));
        return dd;
    }

    public static String html(Table table) {
        return Html.table(caption(table), header(table), rows(table));
    }

    public static String text(Table table) {
        return Html.textTable(caption(table), header(table), rows(table));
    }

    private static String caption(Table t) {
        String name = t.name() == null ? "" : t.name();
        String size = t.rowCount() + " rows × " + t.columnCount() + " columns";
        String cut = t.rowCount() > MAX_ROWS ? ", first " + MAX_ROWS + " shown" : "";
        return name.isEmpty() ? size + cut : name + " (" + size + cut + ")";
    }

    private static List<String> header(Table t) {
        return t.columnNames();
    }

    /** Doubles with 6 significant digits (Tablesaw would print every digit); missing values empty. */
    private static String cellText(Column<?> c, int row) {
        if (c instanceof NumberColumn && !(c instanceof IntColumn) && !(c instanceof LongColumn) && !(c instanceof ShortColumn)) {
            double v = ((NumberColumn<?, ?>) c).getDouble(row);
            if (Double.isNaN(v)) {
                return "";
            }
            double a = Math.abs(v);
            return a != 0 && (a < 1e-4 || a >= 1e6) ? String.format(Locale.ROOT, "%.5e", v) : String.format(Locale.ROOT, "%.6g", v);
        }
        return c.getString(row);
    }

    private static List<List<String>> rows(Table t) {
        List<List<String>> rows = new ArrayList<>();
        int n = Math.min(t.rowCount(), MAX_ROWS);
        for (int r = 0; r < n; r++) {
            List<String> row = new ArrayList<>(t.columnCount());
            for (Column<?> c : t.columns()) {
                row.add(cellText(c, r));
            }
            rows.add(row);
        }
        return rows;
    }
}
