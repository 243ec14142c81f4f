package org.deqnc.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** An in-process java-deq kernel for tests: run a cell, see what it displayed, as a notebook would. */
public final class KernelHarness implements AutoCloseable {

    private final DeqKernel kernel;

    public KernelHarness() {
        kernel = DeqKernel.builder().build();
        kernel.onStartup();
    }

    public DeqKernel kernel() {
        return kernel;
    }

    /** Runs a cell; returns its result bundle (null when it has none). */
    public DisplayData eval(String code) {
        return kernel.eval(code);
    }

    /** Runs a cell; returns every bundle it displayed, in order. */
    public List<DisplayData> displayed(String code) {
        List<DisplayData> seen = new ArrayList<>();
        Consumer<DisplayData> l = seen::add;
        kernel.addDisplayListener(l);
        try {
            kernel.eval(code);
        } finally {
            kernel.removeDisplayListener(l);
        }
        return seen;
    }

    public static String text(DisplayData d) {
        return String.valueOf(d.getData(MIMEType.TEXT_PLAIN));
    }

    public static String html(DisplayData d) {
        return String.valueOf(d.getData(MIMEType.TEXT_HTML));
    }

    @Override
    public void close() {
        kernel.onShutdown(false);
    }
}
