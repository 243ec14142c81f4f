package org.deqnc.kernel;

import org.deqnc.render.DisplayTarget;
import org.deqnc.render.ProgressBar;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** Statically imported into every java-deq notebook. */
public final class Notebook {

    private Notebook() {
    }

    /** The running java-deq kernel. */
    public static DeqKernel kernel() {
        return (DeqKernel) BaseKernel.notebookKernel();
    }

    /**
     * Cell worker threads alive, this cell's included: 1 unless an interrupted cell was abandoned while it
     * kept computing (then its thread is counted until it ends).
     */
    public static int cellThreads() {
        return CellWorker.liveThreads();
    }

    /** Clears this cell's output now. */
    public static void clearOutput() {
        kernel().clearOutput(false);
    }

    /** Clears this cell's output when the next output arrives (flicker-free redraws). */
    public static void clearOutput(boolean wait) {
        kernel().clearOutput(wait);
    }

    /** A progress bar in this cell, updated in place: {@code var bar = progressBar("epochs", 10); ... bar.update(e, Map.of("loss", l));}. */
    public static ProgressBar progressBar(String label, long total) {
        return ProgressBar.start(DisplayTarget.of(kernel()), label, total);
    }
}
