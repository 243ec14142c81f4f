package org.deqnc.train;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The metrics CSV: header {@link EpochMetrics#COLUMNS}, one row per epoch, {@code \n} line ends. Numbers are
 * written by {@link Double#toString} (locale-free, round-trips exactly), the epoch as an integer, so equal
 * values give equal bytes; no timing is written, which keeps a run's file reproducible byte for byte.
 */
final class MetricsCsv {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private MetricsCsv() {
    }

    static String format(List<EpochMetrics> rows) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(out, FORMAT)) {
            p.printRecord(EpochMetrics.COLUMNS);
            for (EpochMetrics r : rows) {
                List<String> cells = new ArrayList<>();
                r.values().forEach((k, v) -> cells.add(k.equals("epoch") ? String.valueOf(v.intValue())
                        : Double.toString(v)));
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Reads text written by {@link #format}; other headers are rejected. */
    static List<EpochMetrics> parse(String csv) {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(csv))
                .setFormat(FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            if (!parser.getHeaderNames().equals(EpochMetrics.COLUMNS)) {
                throw new IllegalArgumentException("metrics CSV: header must be " + EpochMetrics.COLUMNS + ", got "
                        + parser.getHeaderNames());
            }
            List<EpochMetrics> rows = new ArrayList<>();
            for (CSVRecord rec : parser) {
                Map<String, Double> v = new LinkedHashMap<>();
                EpochMetrics.COLUMNS.forEach(c -> v.put(c, Double.parseDouble(rec.get(c))));
                rows.add(new EpochMetrics(v));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One row per epoch: {@code epoch} as integers, every other column as doubles (NaN is missing). */
    static Table table(String name, List<EpochMetrics> rows) {
        Table t = Table.create(name);
        t.addColumns(IntColumn.create("epoch", rows.stream().mapToInt(EpochMetrics::epoch).toArray()));
        for (String c : EpochMetrics.COLUMNS.subList(1, EpochMetrics.COLUMNS.size())) {
            t.addColumns(DoubleColumn.create(c, rows.stream().mapToDouble(r -> r.get(c)).toArray()));
        }
        return t;
    }
}
