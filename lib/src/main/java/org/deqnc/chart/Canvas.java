package org.deqnc.chart;

import java.awt.Color;

/**
 * The drawing operations the chart painter needs, in pixel coordinates (origin top-left). One
 * painter draws every chart onto this; {@link SvgCanvas} and {@link RasterCanvas} turn the same calls
 * into SVG text and a PNG image, so both static formats show exactly the same figure.
 */
interface Canvas {

    enum Anchor { START, MIDDLE, END }

    void line(double x1, double y1, double x2, double y2, Color color, double width);

    /** An open polyline through the points in order. */
    void polyline(double[] xs, double[] ys, Color color, double width);

    void circle(double cx, double cy, double r, Color fill);

    void rect(double x, double y, double w, double h, Color fill);

    /** Text whose baseline starts, centres or ends at (x, y); {@code vertical} rotates it 90° anticlockwise. */
    void text(double x, double y, String text, double size, Anchor anchor, boolean vertical, Color color);
}
