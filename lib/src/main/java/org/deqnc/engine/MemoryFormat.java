package org.deqnc.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The order in which a 4-d (N, C, H, W) tensor keeps its values in memory. DJL shows every tensor as (N, C, H, W) and
 * has no call for PyTorch's {@code memory_format}; a permuted view gives it: an (N, H, W, C) tensor seen through
 * {@code transpose(0, 3, 1, 2)} is PyTorch's channels-last tensor, and PyTorch's ops keep that order in their results.
 *
 * <p>Why the small CNN encoder runs channels-last on the CPU: on an (N, C, H, W) tensor PyTorch 2.7.1's oneDNN copies
 * every convolution's input and output into its blocked layout and back (the reorders took a sixth of oneDNN's time
 * in the quick profile's cnn epochs); for channels-last tensors it runs its brgemm kernels on them in place. See
 * docs/cpu-notes.md for what that saved and which kernels it checks.
 */
public final class MemoryFormat {

    private MemoryFormat() {
    }

    /**
     * The values of {@code nchw} (any memory order), shape (N, C, H, W), kept in channels-last order: a view when C
     * is 1 (both orders are then the same), else one copy.
     */
    public static NDArray channelsLast(NDArray nchw) {
        Shape s = requireMaps(nchw);
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        // flattening a permuted view cannot be a view, so PyTorch copies it into this (N, H, W, C) order
        NDArray nhwc = c == 1 ? nchw.reshape(n, h, w, 1)
                : nchw.transpose(0, 2, 3, 1).reshape(n, -1).reshape(n, h, w, c);
        return nhwc.transpose(0, 3, 1, 2);
    }

    /**
     * The values of {@code maps} (any memory order), shape (N, C, H, W), in row-major (N, C, H, W) order: {@code maps}
     * itself when already so, else one copy.
     */
    public static NDArray rowMajor(NDArray maps) {
        Shape s = requireMaps(maps);
        return maps.reshape(s.get(0), -1).reshape(s);
    }

    private static Shape requireMaps(NDArray a) {
        Shape s = a.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("feature maps: expected shape (N, C, H, W), got " + s);
        }
        return s;
    }
}
