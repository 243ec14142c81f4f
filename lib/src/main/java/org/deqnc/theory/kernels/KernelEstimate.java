package org.deqnc.theory.kernels;

import java.util.List;

/**
 * Monte-Carlo kernels averaged over {@code draws} random weight draws, and the same averages at earlier
 * draw counts (the checkpoints asked for), to show the Monte-Carlo error falling.
 *
 * @param ck               the conjugate kernel, n x n
 * @param ntk              the DEQ's NTK, n x n (null for explicit networks)
 * @param draws            number of weight draws averaged
 * @param meanIterations   mean fixed-point iterations per draw (0 for explicit networks)
 * @param snapshots        the averages after fewer draws, in increasing order of draws
 */
public record KernelEstimate(double[][] ck, double[][] ntk, int draws, double meanIterations, List<KernelEstimate> snapshots) {
}
