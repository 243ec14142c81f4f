package org.deqnc.train;

/** The input encoder shared by the explicit and the DEQ model. */
public enum EncoderKind {
    /** Flatten, one dense layer of {@code encoder_width} units, ReLU: vector output. */
    MLP,
    /** Two 3x3 conv (ReLU, 2x2 max-pool) stages of {@code encoder_width} channels: feature-map output. */
    CNN,
    /**
     * ResNet-18-style stem and four stages of two basic blocks (widths w, 2w, 4w, 8w, batch norm), for the
     * GPU/paper profile; far too slow to train on the CPU.
     */
    RESNET18
}
