package org.deqnc.theory.kernels;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpectrumHistogramTest {

    @Test
    void densitiesAreWorkedOutByHandAndOutsideValuesAreCounted() {
        // 2 bins of width 1 on [0, 2]: 0.5 in bin 0; 1.0 and 2.0 (the upper end is kept) in bin 1; 3.0 outside.
        // density = count / (all values * width): 1/4 and 2/4.
        Table h = Spectrum.histogram(Map.of("a", new double[]{0.5, 1.0, 2.0, 3.0}), 2, 0, 2);
        assertEquals(List.of(0.5, 1.5), h.doubleColumn("eigenvalue").asList());
        assertEquals(List.of(0.25, 0.5), h.doubleColumn("density").asList());
        assertEquals("eigenvalue histogram (1 eigenvalues outside [0.0, 2.0])", h.name());
    }

    @Test
    void spectraComeInTheMapsOrder() {
        Map<String, double[]> forward = new LinkedHashMap<>(), backward = new LinkedHashMap<>();
        forward.put("DEQ (empirical)", new double[]{0.1});
        forward.put("equivalent", new double[]{0.9});
        backward.put("equivalent", new double[]{0.9});
        backward.put("DEQ (empirical)", new double[]{0.1});
        assertEquals(List.of("DEQ (empirical)", "equivalent"),
                Spectrum.histogram(forward, 1, 0, 1).stringColumn("spectrum").asList());
        assertEquals(List.of("equivalent", "DEQ (empirical)"),
                Spectrum.histogram(backward, 1, 0, 1).stringColumn("spectrum").asList());
    }
}
