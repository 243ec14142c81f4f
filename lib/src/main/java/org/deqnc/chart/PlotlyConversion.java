package org.deqnc.chart;

import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

import java.util.ArrayList;
import java.util.List;

/** A {@link Chart} as a tablesaw-jsplot figure: same traces, names, colours, titles and axis type. */
final class PlotlyConversion {

    private PlotlyConversion() {
    }

    static Figure figure(Chart chart, Chart.Data data) {
        List<Trace> traces = new ArrayList<>();
        List<Series> series = data.series();
        boolean legend = chart.kind() != ChartKind.HEATMAP && series.size() > 1;
        switch (chart.kind()) {
            case LINE, SCATTER -> {
                for (int k = 0; k < series.size(); k++) {
                    Series s = series.get(k);
                    traces.add(ScatterTrace.builder(s.x(), s.y())
                            .mode(chart.kind() == ChartKind.LINE ? ScatterTrace.Mode.LINE : ScatterTrace.Mode.MARKERS)
                            .name(s.name())
                            .showLegend(legend)
                            .line(Line.builder().color(Palette.traceHex(k)).build())
                            .marker(Marker.builder().color(Palette.traceHex(k)).build())
                            .build());
                }
            }
            case BAR -> {
                Object[] cats = data.categories().toArray();
                for (int k = 0; k < series.size(); k++) {
                    Series s = series.get(k);
                    traces.add(BarTrace.builder(cats, s.y())
                            .name(s.name())
                            .showLegend(legend)
                            .marker(Marker.builder().color(Palette.traceHex(k)).build())
                            .build());
                }
            }
            case HEATMAP -> {
                Object[] columns = series.stream().map(Series::name).toArray();
                traces.add(HeatmapTrace.builder(columns, data.categories().toArray(), data.z()).build());
            }
        }
        Layout.LayoutBuilder layout = Layout.builder()
                .width(chart.width())
                .height(chart.height())
                .showLegend(legend)
                .xAxis(Axis.builder().title(chart.xLabel()).build())
                .yAxis(yAxis(chart));
        if (!chart.title().isEmpty()) {
            layout.title(chart.title());
        }
        return new Figure(layout.build(), traces.toArray(new Trace[0]));
    }

    private static Axis yAxis(Chart chart) {
        Axis.AxisBuilder y = Axis.builder().title(chart.yLabel());
        // Only force the type for log: heatmap row labels must stay categorical.
        return chart.isLogY() ? y.type(Axis.Type.LOG).build() : y.build();
    }
}
