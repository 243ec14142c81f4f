package org.deqnc.render;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Where live outputs go: a first {@code display_data}, then {@code update_display_data} for the same id. */
public interface DisplayTarget {

    void show(DisplayData data);

    void update(String displayId, DisplayData data);

    /** The running kernel's notebook (works in the bundled kernel and in stock JJava alike). */
    static DisplayTarget of(BaseKernel kernel) {
        return new DisplayTarget() {
            @Override
            public void show(DisplayData data) {
                kernel.display(data);
            }

            @Override
            public void update(String displayId, DisplayData data) {
                kernel.getIO().display.updateDisplay(displayId, data);
            }
        };
    }
}
