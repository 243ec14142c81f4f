/**
 * Data for the DEQ x neural-collapse experiments: Fashion-MNIST (IDX) and CIFAR-10/100 (binary) readers,
 * Fang et al.'s step imbalance, Ling et al.'s K-class Gaussian mixture and its statistics, per-channel
 * normalisation, and exposure as DJL data sets and leak-free batches. {@link org.deqnc.data.DataSources} is the
 * one registry of data sources by name ({@code fashion-mnist}, {@code cifar10}, {@code cifar100},
 * {@code cifar100-coarse}, {@code gmm}, {@code synthetic}) that every magic, configuration and the Java API read.
 *
 * <pre>{@code
 * LabeledData mixture = DataSources.get("gmm").load(DataOptions.parse("synthetic_classes=5 seed=1"), Split.TRAIN);
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
