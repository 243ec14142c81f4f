package org.deqnc.magic;

import org.deqnc.engine.Engines;
import org.deqnc.kernel.DeqKernel;
import org.deqnc.render.DomainRendering;
import org.deqnc.sweep.Sweep;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Entry point found through the {@code org.dflib.jjava.jupyter.Extension} service: in the bundled
 * java-deq kernel at start-up, and in a stock JJava kernel (1.0-a6 or later) when this jar reaches its
 * class path. Install stays silent: anything printed here would land in a notebook cell.
 */
public final class DeqNcExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        Engines.configureDefaults();
        // the natives' first load cannot be interrupted: do it before a cell needs it, in the bundled kernel once it is
        // online (its start would wait for the load's CPU otherwise)
        if (kernel instanceof DeqKernel deq) {
            deq.whenOnline(Engines::preloadInBackground);
        } else {
            Engines.preloadInBackground();
        }
        MagicCatalog.standard().installInto(kernel);
        DomainRendering.registerAll(kernel);
        Sweep.setDefaultListener(grid -> SweepMagic.progressBar(kernel, grid)); // Sweep.run(grid) in a cell: a bar
    }
}
