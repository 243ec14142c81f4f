package org.deqnc.chart;

import java.awt.Color;
import java.util.Locale;

/** A {@link Canvas} that writes SVG 1.1 elements into a string. */
final class SvgCanvas implements Canvas {

    private final StringBuilder svg = new StringBuilder();
    private final int width;
    private final int height;

    SvgCanvas(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color, double w) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"%.2f\"/>%n",
                x1, y1, x2, y2, hex(color), w));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color color, double w) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            pts.append(String.format(Locale.ROOT, "%s%.2f,%.2f", i == 0 ? "" : " ", xs[i], ys[i]));
        }
        svg.append(String.format(Locale.ROOT, "<polyline class=\"trace\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\"/>%n",
                pts, hex(color), w));
    }

    @Override
    public void circle(double cx, double cy, double r, Color fill) {
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\"/>%n", cx, cy, r, hex(fill)));
    }

    @Override
    public void rect(double x, double y, double w, double h, Color fill) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>%n", x, y, w, h, hex(fill)));
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, boolean vertical, Color color) {
        String a = switch (anchor) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        };
        String rotate = vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.2f %.2f)\"", x, y) : "";
        svg.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" text-anchor=\"%s\" fill=\"%s\"%s>%s</text>%n",
                x, y, size, a, hex(color), rotate, escape(text)));
    }

    String finish() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"sans-serif\">\n" + svg + "</svg>\n";
    }

    private static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
