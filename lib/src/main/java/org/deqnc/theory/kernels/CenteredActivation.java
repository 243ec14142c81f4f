package org.deqnc.theory.kernels;

import ai.djl.ndarray.NDArray;

/**
 * An activation minus a constant, {@code f(x) - shift}: Ling et al. centre every activation for the input scale
 * it sees, {@code shift = E f(scale xi)}, so that the kernels carry no rank-one mean term.
 */
public record CenteredActivation(KernelActivation activation, double shift) {

    /** f centred for inputs of scale {@code scale}: shift = E f(scale xi). */
    public static CenteredActivation at(KernelActivation activation, double scale) {
        return new CenteredActivation(activation, GaussianMoments.of(activation, scale).mean());
    }

    public NDArray value(NDArray x) {
        return activation.value(x).sub(shift);
    }

    public NDArray derivative(NDArray x) {
        return activation.derivative(x);
    }

    public String name() {
        return activation.name();
    }
}
