package org.deqnc.theory.kernels;

import ai.djl.ndarray.NDArray;
import org.deqnc.config.DidYouMean;
import org.hipparchus.special.Erf;

import java.util.List;
import java.util.Optional;

/**
 * A scalar activation as the kernel theory of Ling et al. (ICML 2024) sees it: its values and (almost
 * everywhere) derivative on doubles for the Gaussian expectations, on DJL arrays for the Monte-Carlo kernels,
 * the points where it is not smooth (quadrature splits there), and, where one exists, the closed form of its
 * Gaussian moments. Centring (subtracting {@code E[f(tau xi)]}) is not part of the activation: see
 * {@link GaussianMoments} and {@link CenteredActivation}.
 */
public interface KernelActivation {

    /** The five activations of the official GMM scripts, by their script names. */
    List<String> NAMES = List.of("relu", "tanh", "leaky_relu", "elu", "swish");

    /** The name used in tables and by {@link #named(String)}. */
    String name();

    double value(double x);

    /** The derivative, almost everywhere (at a kink either side's value). */
    double derivative(double x);

    NDArray value(NDArray x);

    NDArray derivative(NDArray x);

    /** The points where the function or its derivative is not smooth; quadrature is split there. */
    default double[] kinks() {
        return new double[0];
    }

    /** The moments at input scale tau in closed form, where this activation has one. */
    default Optional<GaussianMoments> closedForm(double tau) {
        return Optional.empty();
    }

    /** One of {@link #NAMES}; a one-line error with the accepted names otherwise. */
    static KernelActivation named(String name) {
        switch (name) {
            case "relu": return relu();
            case "tanh": return tanh();
            case "leaky_relu": return leakyRelu(0.01);
            case "elu": return elu(1.0);
            case "swish": return swish();
            default: throw new IllegalArgumentException("activation: unknown '" + name + "'"
                    + DidYouMean.hint(name, NAMES) + " (accepted: " + String.join(", ", NAMES) + ")");
        }
    }

    static KernelActivation relu() {
        return new PiecewiseLinear("relu", 1, 0);
    }

    /** {@code x} for x >= 0, {@code slope * x} below (the scripts use slope 0.01). */
    static KernelActivation leakyRelu(double slope) {
        return new PiecewiseLinear("leaky_relu", 1, slope);
    }

    /**
     * Ling et al.'s L-ReLU, {@code a x} for x >= 0 and {@code b x} below (written max(ax, bx) in the code,
     * which is the same function when a >= b).
     */
    static KernelActivation lRelu(double a, double b) {
        return new PiecewiseLinear(String.format("l_relu(a=%.6g, b=%.6g)", a, b), a, b);
    }

    /** Ling et al.'s H-tanh, {@code a * clip(x, -c, c)}, c > 0. */
    static KernelActivation hTanh(double a, double c) {
        if (!(c > 0)) {
            throw new IllegalArgumentException("c: the H-tanh clip level must be > 0, got " + c);
        }
        return new HardTanh(a, c);
    }

    static KernelActivation tanh() {
        return new Smooth("tanh", Math::tanh, x -> 1 - Math.tanh(x) * Math.tanh(x), NDArray::tanh,
                x -> x.tanh().square().neg().add(1));
    }

    /** x * sigmoid(x). */
    static KernelActivation swish() {
        return new Smooth("swish", x -> x / (1 + Math.exp(-x)),
                x -> {
                    double s = 1 / (1 + Math.exp(-x));
                    return s + x * s * (1 - s);
                },
                x -> x.mul(x.neg().exp().add(1).pow(-1)),
                x -> {
                    NDArray s = x.neg().exp().add(1).pow(-1);
                    return s.add(x.mul(s).mul(s.neg().add(1)));
                });
    }

    /** x for x >= 0, {@code alpha (e^x - 1)} below (the scripts use alpha = 1). */
    static KernelActivation elu(double alpha) {
        return new Elu(alpha);
    }

    /** f(x) = a x (x >= 0), b x (x < 0): ReLU, leaky ReLU and L-ReLU. */
    record PiecewiseLinear(String name, double a, double b) implements KernelActivation {
        public double value(double x) {
            return x >= 0 ? a * x : b * x;
        }

        public double derivative(double x) {
            return x >= 0 ? a : b;
        }

        public NDArray value(NDArray x) {
            return x.maximum(0).mul(a).add(x.minimum(0).mul(b));
        }

        public NDArray derivative(NDArray x) {
            NDArray positive = x.gte(0).toType(x.getDataType(), false);
            return positive.mul(a - b).add(b);
        }

        public double[] kinks() {
            return new double[]{0};
        }

        /** Derived for these notes: E f = (a-b) tau/sqrt(2 pi); the rest follow with Stein's lemma. */
        public Optional<GaussianMoments> closedForm(double tau) {
            double mean = (a - b) * tau / Math.sqrt(2 * Math.PI);
            double variance = tau * tau * ((a * a + b * b) * (Math.PI - 1) + 2 * a * b) / (2 * Math.PI);
            double d1 = (a + b) / 2;
            double d2 = (a - b) / (Math.sqrt(2 * Math.PI) * tau);
            double d4 = ((a * a + b * b) * (Math.PI - 1) + 2 * a * b) / Math.PI;
            return Optional.of(new GaussianMoments(tau, mean, variance, d1, d2, d4, (a * a + b * b) / 2));
        }
    }

    /** a * clip(x, -c, c): odd, so centred already and d2 = 0. */
    record HardTanh(double a, double c) implements KernelActivation {
        public String name() {
            return String.format("h_tanh(a=%.6g, c=%.6g)", a, c);
        }

        public double value(double x) {
            return a * Math.max(-c, Math.min(c, x));
        }

        public double derivative(double x) {
            return Math.abs(x) < c ? a : 0;
        }

        public NDArray value(NDArray x) {
            return x.clip(-c, c).mul(a);
        }

        public NDArray derivative(NDArray x) {
            return x.abs().lt(c).toType(x.getDataType(), false).mul(a);
        }

        public double[] kinks() {
            return new double[]{-c, c};
        }

        public Optional<GaussianMoments> closedForm(double tau) {
            double r = c / tau;
            double erf = Erf.erf(r / Math.sqrt(2));
            double edge = Math.sqrt(2 / Math.PI) * r * Math.exp(-r * r / 2);
            double variance = a * a * tau * tau * (erf + r * r * (1 - erf) - edge);
            double d4 = 2 * a * a * (erf - edge);
            return Optional.of(new GaussianMoments(tau, 0, variance, a * erf, 0, d4, a * a * erf));
        }
    }

    /** x (x >= 0), alpha (e^x - 1) (x < 0). */
    record Elu(double alpha) implements KernelActivation {
        public String name() {
            return alpha == 1 ? "elu" : "elu(alpha=" + alpha + ")";
        }

        public double value(double x) {
            return x >= 0 ? x : alpha * Math.expm1(x);
        }

        public double derivative(double x) {
            return x >= 0 ? 1 : alpha * Math.exp(x);
        }

        public NDArray value(NDArray x) {
            return x.maximum(0).add(x.minimum(0).exp().sub(1).mul(alpha));
        }

        public NDArray derivative(NDArray x) {
            NDArray positive = x.gte(0).toType(x.getDataType(), false);
            return positive.add(x.minimum(0).exp().mul(alpha).mul(positive.neg().add(1)));
        }

        public double[] kinks() {
            return new double[]{0};
        }
    }

    /** An analytic activation given by its four functions. */
    record Smooth(String name, java.util.function.DoubleUnaryOperator f, java.util.function.DoubleUnaryOperator df,
                  java.util.function.UnaryOperator<NDArray> fArray, java.util.function.UnaryOperator<NDArray> dfArray)
            implements KernelActivation {
        public double value(double x) {
            return f.applyAsDouble(x);
        }

        public double derivative(double x) {
            return df.applyAsDouble(x);
        }

        public NDArray value(NDArray x) {
            return fArray.apply(x);
        }

        public NDArray derivative(NDArray x) {
            return dfArray.apply(x);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
