package org.deqnc.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {

    /** Records what a notebook would receive. */
    static final class Recorder implements DisplayTarget {
        final List<DisplayData> shown = new ArrayList<>();
        final List<String> updateIds = new ArrayList<>();
        final List<DisplayData> updates = new ArrayList<>();

        @Override
        public void show(DisplayData data) {
            shown.add(data);
        }

        @Override
        public void update(String displayId, DisplayData data) {
            updateIds.add(displayId);
            updates.add(data);
        }
    }

    static final long MS = 1_000_000L;

    @Test
    void showsOnceThenUpdatesInPlaceAtMostFourTimesASecond() {
        Recorder r = new Recorder();
        long[] now = {0};
        ProgressBar bar = ProgressBar.start(r, "train", 100, () -> now[0]);
        // 100 updates 10 ms apart = 1 s of work: at most one redraw per 250 ms window
        for (int i = 1; i <= 100; i++) {
            now[0] = i * 10 * MS;
            bar.update(i, Map.of());
        }
        bar.finish();
        assertEquals(1, r.shown.size());
        String id = r.shown.get(0).getDisplayId();
        assertNotNull(id);
        assertTrue(r.updateIds.stream().allMatch(id::equals), "every update targets the first display");
        // redraws at 250, 500, 750, 1000 ms, then the final one from finish()
        assertEquals(5, r.updates.size());
        assertEquals(6, bar.draws());
    }

    @Test
    void textShowsPercentEtaAndLatestMetrics() {
        Recorder r = new Recorder();
        long[] now = {0};
        ProgressBar bar = ProgressBar.start(r, "epochs", 10, () -> now[0]);
        now[0] = 5_000 * MS;
        Map<String, Number> metrics = new java.util.LinkedHashMap<>();
        metrics.put("loss", 0.25);
        metrics.put("failed", 0);
        bar.update(5, metrics);
        String text = String.valueOf(r.updates.get(0).getData(MIMEType.TEXT_PLAIN));
        // half done after 5 s: 5 s to go at the same pace; a count stays an integer
        assertEquals("epochs [###############...............]  50%  5/10  elapsed 5.0 s  ETA 5.0 s  loss=0.2500  failed=0",
                text);
        String html = String.valueOf(r.updates.get(0).getData(MIMEType.TEXT_HTML));
        assertTrue(html.contains("<progress max=\"10\" value=\"5\""), html);
        assertTrue(html.contains("loss=0.2500"), html);
    }

    @Test
    void etaIsUnknownBeforeTheFirstStepAndLongTimesUseMinutes() {
        Recorder r = new Recorder();
        long[] now = {0};
        ProgressBar bar = ProgressBar.start(r, "x", 4, () -> now[0]);
        assertTrue(String.valueOf(r.shown.get(0).getData(MIMEType.TEXT_PLAIN)).contains("ETA ?"));
        now[0] = 90_000 * MS;
        bar.update(1, Map.of());
        // 90 s per step, 3 steps left: 270 s = 4:30
        assertTrue(bar.text().contains("elapsed 1:30  ETA 4:30"), bar.text());
    }

    @Test
    void rejectsAnEmptyTotal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProgressBar.start(new Recorder(), "x", 0));
        assertEquals("total: must be >= 1, got 0", e.getMessage());
    }
}
