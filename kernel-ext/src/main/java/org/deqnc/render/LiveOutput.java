package org.deqnc.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.UUID;

/** One output area that is shown once and then replaced in place ({@code update_display_data}). */
public final class LiveOutput {

    private final DisplayTarget target;
    private final String displayId = "deq-live-" + UUID.randomUUID();
    private boolean shown;

    public LiveOutput(DisplayTarget target) {
        this.target = target;
    }

    /** Shows {@code data} the first time, replaces what was shown afterwards. */
    public synchronized void set(DisplayData data) {
        if (!shown) {
            data.setDisplayId(displayId);
            target.show(data);
            shown = true;
        } else {
            target.update(displayId, data);
        }
    }
}
