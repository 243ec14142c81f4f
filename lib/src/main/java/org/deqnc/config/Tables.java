package org.deqnc.config;

import java.util.List;

/** Plain-text tables with aligned columns, for effective-configuration echoes and help. */
final class Tables {

    private Tables() {
    }

    /** Renders rows (the first is the header) left-aligned, two spaces between columns. */
    static String render(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                line.append(c == cols - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
