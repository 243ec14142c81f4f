package org.deqnc.bench;

import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.theory.DirectPeeledSolver;
import org.deqnc.theory.FeatureLayer;
import org.deqnc.theory.LayerPeeledProblem;
import org.deqnc.theory.LayerPeeledSolver;
import org.deqnc.theory.MinorityCollapseSweep;
import org.deqnc.theory.PeeledNetworkProblem;

/**
 * Speed and accuracy of the layer-peeled theory solvers, measured in one run:
 * the quick minority-collapse sweep (cold, then warm), the certified solver against the closed form, and the
 * certified reduction against the direct solve over DEQ parameters (time ratio and loss agreement).
 * Pass {@code full=true} to time the 25-point sweep as well.
 *
 * <pre>mvn -B -q -pl bench -am compile exec:java -Dexec.mainClass=org.deqnc.bench.TheorySolverBench [-Dexec.args=full=true]</pre>
 */
public final class TheorySolverBench {

    private TheorySolverBench() {
    }

    static final ConfigKey<Boolean> FULL = ConfigKey.ofBoolean("full", false, "also time the 25-point sweep");
    static final ConfigSchema SCHEMA = ConfigSchema.builder("TheorySolverBench").add(FULL).build();

    public static void main(String[] argv) {
        boolean full = SCHEMA.parseArgs(String.join(" ", argv)).get(FULL);
        double cold = timeSweep(MinorityCollapseSweep.Profile.QUICK);
        double warm = timeSweep(MinorityCollapseSweep.Profile.QUICK);
        System.out.printf("quick sweep (2 models x 3 K_A x 7 R, 3 restarts): cold %.2f s, warm %.2f s (cold/warm %.1fx)%n",
                cold, warm, cold / warm);
        if (full) {
            System.out.printf("full sweep (2 models x 3 K_A x 25 R): %.2f s%n",
                    timeSweep(MinorityCollapseSweep.Profile.FULL));
        }

        LayerPeeledSolver solver = LayerPeeledSolver.builder().build();
        LayerPeeledProblem balanced = LayerPeeledProblem.builder().build();
        double closed = LayerPeeledProblem.balancedOptimum(10, 5, 1);
        System.out.printf("balanced K=10 E_H=5 E_W=1: |loss - closed form| / closed form = %.2e%n",
                Math.abs(solver.solve(balanced).loss() - closed) / closed);

        DirectPeeledSolver direct = DirectPeeledSolver.builder().build();
        for (double r : new double[] {1, 10, 100}) {
            PeeledNetworkProblem deq = PeeledNetworkProblem.of(balanced.toBuilder().ratio(r).build(),
                    FeatureLayer.deq(0.5));
            long t0 = System.nanoTime();
            double reduced = deq.solve(solver).loss();
            long t1 = System.nanoTime();
            double directLoss = direct.solve(deq).loss();
            long t2 = System.nanoTime();
            System.out.printf("DEQ gamma=0.5 R=%-5g reduced %.3f ms, direct %.3f ms (direct/reduced %.1fx),"
                    + " relative loss difference %.1e%n", r, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    (double) (t2 - t1) / (t1 - t0), (directLoss - reduced) / reduced);
        }
    }

    private static double timeSweep(MinorityCollapseSweep.Profile profile) {
        long t0 = System.nanoTime();
        MinorityCollapseSweep.builder().profile(profile).build().run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
