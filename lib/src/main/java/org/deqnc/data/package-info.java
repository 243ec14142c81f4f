/**
 * Data for the DEQ x neural-collapse experiments: Fashion-MNIST (IDX) and CIFAR-10/100 (binary) readers,
 * Fang et al.'s step imbalance, Ling et al.'s K-class Gaussian mixture and its statistics, per-channel
 * normalisation, and exposure as DJL data sets and leak-free batches.
 *
 * <pre>{@code
 * LabeledData train = FashionMnist.load(Split.TRAIN);
 * LabeledData imbalanced = StepImbalance.of(3, 10).apply(train, 6000, 666L);   // 3 x 6000 + 7 x 600
 * Normalization norm = Normalization.fit(imbalanced);
 * try (NDManager m = Engines.newManager();
 *      BatchIterator it = imbalanced.normalized(norm).batches(m, 128, true, SeededShuffle.streamSeed(1L, epoch))) {
 *     while (it.hasNext()) { NDList xy = it.next(); ... }
 * }
 * }</pre>
 */
package org.deqnc.data;
