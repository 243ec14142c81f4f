package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradients of L = Σ z ⊙ C (C a fixed seeded array) for a {@link CellLayer}: from autograd through
 * the layer's backward mode, and from central finite differences of the loss itself (an
 * independent reference: it only runs forward solves).
 */
final class GradientCheck {

    private final NDManager manager;
    private final CellLayer layer;
    private final NDArray x;
    private final NDArray c;
    private final ParameterStore ps;

    GradientCheck(NDManager manager, CellLayer layer, Shape inputShape) {
        this.manager = manager;
        this.layer = layer;
        layer.initialize(manager, DataType.FLOAT64, inputShape);
        x = SeededNormal.gaussian(manager, inputShape, DataType.FLOAT64, 1.0, 11);
        c = SeededNormal.gaussian(manager, layer.stateShape(inputShape), DataType.FLOAT64, 1.0, 12);
        ps = new ParameterStore(manager, false);
    }

    /** Trainable parameter name -> gradient (flattened) from one training forward/backward. */
    Map<String, double[]> autograd() {
        return autograd(() -> { });
    }

    /** As {@link #autograd()}, running {@code betweenForwardAndBackward} after the forward. */
    Map<String, double[]> autograd(Runnable betweenForwardAndBackward) {
        for (Pair<String, Parameter> p : layer.getParameters()) {
            if (p.getValue().requiresGradient()) {
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    g.subi(g); // start from zero: gradients accumulate across backward calls
                }
            }
        }
        try (DeqGradientCollector gc = DeqGradientCollector.open(); NDManager s = manager.newSubManager()) {
            NDArray xs = x.duplicate();
            xs.attach(s);
            NDArray z = layer.forward(ps, new NDList(xs), true).head();
            betweenForwardAndBackward.run();
            gc.backward(z.mul(c).sum());
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : layer.getParameters()) {
            if (p.getValue().requiresGradient()) {
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    out.put(p.getKey(), g.toDoubleArray());
                }
            }
        }
        return out;
    }

    /** Central differences with step eps over every entry of every trainable parameter. */
    Map<String, double[]> finiteDifferences(double eps) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : layer.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            NDArray arr = p.getValue().getArray();
            int n = Math.toIntExact(arr.size());
            double[] fd = new double[n];
            try (NDArray orig = arr.duplicate()) {
                for (int i = 0; i < n; i++) {
                    double[] e = new double[n];
                    e[i] = eps;
                    try (NDArray delta = manager.create(e, arr.getShape())) {
                        arr.addi(delta);
                        double plus = loss();
                        arr.subi(delta).subi(delta);
                        double minus = loss();
                        arr.subi(arr).addi(orig); // exact restore
                        fd[i] = (plus - minus) / (2 * eps);
                    }
                }
            }
            out.put(p.getKey(), fd);
        }
        return out;
    }

    double loss() {
        try (NDManager s = manager.newSubManager()) {
            NDArray xs = x.duplicate();
            xs.attach(s);
            return layer.forward(ps, new NDList(xs), false).head().mul(c).sum().getDouble();
        }
    }

    static double relativeError(double[] a, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - ref[i]) * (a[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
