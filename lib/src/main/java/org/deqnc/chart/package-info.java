/**
 * Figures from Tablesaw tables: a {@link org.deqnc.chart.Chart} is described once ({@link org.deqnc.chart.Figures}:
 * line, scatter, bar, heatmap; series per column and per {@code by} group; log y axis; legend) and drawn as an
 * interactive Plotly figure (tablesaw-jsplot, plotly.js inlined from the WebJar by {@link org.deqnc.chart.PlotlyJs})
 * and as static SVG and PNG by one painter over two canvases, so every output shows the same series, colours
 * and axes. {@code chart.save(Path.of("f.png" | "f.svg" | "f.html"))} picks the format from the extension; a saved
 * HTML page loads plotly.js from one shared copy in its folder ({@link org.deqnc.chart.PlotlyJs#writeShared}), and in a
 * {@code reproduce.sh} run every saved file records the notebook and parameters that made it
 * ({@link org.deqnc.provenance.Origin}).
 *
 * <h2>Why the static figures are drawn here and not by a chart library</h2>
 * The painter ({@code ChartPainter}, {@code AxisScale}, {@code SvgCanvas}, {@code RasterCanvas}) is about 580
 * lines. Two maintained libraries from Maven Central were tried on 2026-12-06 on the figures the notebooks and
 * magics draw: NC metrics over epochs on a log y axis with a value the axis cannot show; residual per
 * iteration for three solvers on a log axis; a scatter; class counts as bars for 10 and for 100 classes
 * (CIFAR-100); a 4 × 4 Gram matrix as a heatmap with one missing cell. Both were rendered to PNG and SVG and
 * looked at beside this painter's output. Neither draws them as well, so the painter stays.
 *
 * <p><b>XChart 3.8.8</b> ({@code org.knowm.xchart:xchart}; SVG through its VectorGraphics2D 0.13 encoder and,
 * second try, by painting into JFreeSVG 5.0.6's {@code SVGGraphics2D}):
 * <ul>
 *   <li>SVG: XChart paints all text as glyph outlines, whatever the SVG backend, so the SVG has no
 *       {@code <text>}: titles, legends and tick labels cannot be searched, selected or checked by a test,
 *       and files grow 50–120 fold (190 KB for a two-series, three-point line chart where this painter
 *       writes 3.7 KB; 1.3–1.4 MB for the 100-bar chart against 11.6 KB).</li>
 *   <li>Log axis: giving it a tick-label function (to print {@code 1e-4} as Plotly does) silently turned its
 *       ticks linear: labels 0.0 … 1.0 beside points placed on a log scale, a wrong figure. Without one the
 *       labels read {@code 1E-4} and the axis ends at the data, not on whole decades.</li>
 *   <li>A value a log axis cannot show ({@code y <= 0}) makes {@code addSeries} throw; the caller must
 *       turn such points into gaps. A point alone between two gaps is then not drawn at all (this painter,
 *       like Plotly, draws it as a dot), unless markers are shown on every point of the line.</li>
 *   <li>Bars: with 100 categories every label is drawn and they overlap into an unreadable band, also when
 *       rotated by 90°; there is no thinning of category labels.</li>
 *   <li>Heatmap: a missing (NaN) cell is painted black, like a value below the colour scale, instead of a
 *       "missing" colour; the colour-bar ends print the raw double ({@code -0.3233333333333333}).</li>
 *   <li>Better than here: minor ticks between decades on log axes, thousands separators.</li>
 * </ul>
 *
 * <p><b>JFreeChart 1.5.5 with JFreeSVG 5.0.6</b> ({@code org.jfree:jfreechart}, {@code org.jfree:org.jfree.svg}):
 * horizontal text stays {@code <text>} (31 KB for the line chart), but the rotated labels of the 100-bar chart
 * became outlines (1.1 MB). A point alone between gaps vanishes as with XChart. A heatmap needs an
 * {@code XYBlockRenderer} with a paint scale; the stock {@code LookupPaintScale} is stepwise (a continuous
 * viridis needs a scale of our own) and gave the missing cell a colour of the scale. Each chart type needs
 * restyling away from the default theme (grey plot, large bold title). Matching today's figures would take an
 * adapter with per-kind styling, a paint scale, gap handling and label thinning: about the code it would
 * replace, plus a 1.6 MB dependency.
 *
 * <p>Comparing the figures also showed three defects of this painter, fixed since: category labels of wide bar
 * charts overlapped (they are now thinned by their width); a heatmap's colour-bar labels could run past the
 * right edge (the margin now fits them); a log axis over more than eight decades could end above its last
 * label (its top is now widened to the next labelled decade). {@code ChartTest} guards all three.
 */
package org.deqnc.chart;
