package org.deqnc.render;

import java.util.List;

/** Small HTML helpers for notebook outputs: escaping, and plain tables that render in every frontend. */
public final class Html {

    private Html() {
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }

    /** A table with a header row; cells are escaped unless they are wrapped as {@link #raw(String)}. */
    public static String table(String caption, List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<table class=\"deq-table\">");
        if (caption != null && !caption.isEmpty()) {
            b.append("<caption>").append(escape(caption)).append("</caption>");
        }
        b.append("<thead><tr>");
        header.forEach(h -> b.append("<th style=\"text-align:left\">").append(escape(h)).append("</th>"));
        b.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            b.append("<tr>");
            row.forEach(c -> b.append("<td style=\"text-align:left\">").append(cell(c)).append("</td>"));
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** The same table as aligned plain text, for text/plain outputs and diffs. */
    public static String textTable(String caption, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < width.length && i < row.size(); i++) {
                width[i] = Math.max(width[i], plain(row.get(i)).length());
            }
        }
        StringBuilder b = new StringBuilder();
        if (caption != null && !caption.isEmpty()) {
            b.append(caption).append('\n');
        }
        appendRow(b, header, width);
        for (int i = 0; i < width.length; i++) {
            b.append("-".repeat(width[i])).append(i + 1 < width.length ? "  " : "\n");
        }
        rows.forEach(r -> appendRow(b, r, width));
        return b.toString().stripTrailing();
    }

    private static void appendRow(StringBuilder b, List<String> row, int[] width) {
        for (int i = 0; i < width.length; i++) {
            String c = i < row.size() ? plain(row.get(i)) : "";
            b.append(i + 1 < width.length ? String.format("%-" + width[i] + "s  ", c) : c);
        }
        b.append('\n');
    }

    private static final String RAW = "\u0000raw:";

    /** Marks a cell as trusted HTML (e.g. {@code <code>}) that {@link #table} must not escape. */
    public static String raw(String html) {
        return RAW + html;
    }

    private static String cell(String c) {
        return c.startsWith(RAW) ? c.substring(RAW.length()) : escape(c);
    }

    private static String plain(String c) {
        return c.startsWith(RAW) ? c.substring(RAW.length()).replaceAll("<[^>]+>", "") : c;
    }
}
