package org.deqnc.train;

/** The parameter update rule (see {@link ParameterUpdate}). */
public enum OptimizerKind {
    /** SGD with heavy-ball momentum and L2 weight decay, PyTorch's convention. */
    SGD,
    /** Adam (beta1 0.9, beta2 0.999, eps 1e-8) with L2 weight decay added to the gradient, PyTorch's convention. */
    ADAM
}
