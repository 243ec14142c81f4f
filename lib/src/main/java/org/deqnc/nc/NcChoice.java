package org.deqnc.nc;

/**
 * One convention choice of {@link NcConventions}: a value of {@link GlobalMean}, {@link Nc1Variant},
 * {@link TraceScaling}, {@link Nc2Variant}, {@link Nc3Variant} or {@link Dispersion}. Lets
 * {@link NcConventions#with(NcChoice...)} change any of them in one call.
 */
public sealed interface NcChoice permits GlobalMean, Nc1Variant, TraceScaling, Nc2Variant, Nc3Variant, Dispersion {
}
