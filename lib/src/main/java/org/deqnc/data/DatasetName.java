package org.deqnc.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The image data sets by the names used in configurations and magics ({@code dataset=fashion-mnist}). */
public enum DatasetName {
    FASHION_MNIST("fashion-mnist"),
    CIFAR10("cifar10"),
    CIFAR100("cifar100"),
    CIFAR100_COARSE("cifar100-coarse");

    private final String key;

    DatasetName(String key) {
        this.key = key;
    }

    /** The configuration name, e.g. {@code fashion-mnist}. */
    public String key() {
        return key;
    }

    /** The data set named {@code key} (case-insensitive), or a one-line error listing the accepted names. */
    public static DatasetName parse(String key) {
        for (DatasetName d : values()) {
            if (d.key.equalsIgnoreCase(key.strip())) {
                return d;
            }
        }
        throw new IllegalArgumentException("dataset: unknown '" + key + "' (accepted: "
                + Arrays.stream(values()).map(DatasetName::key).collect(Collectors.joining(", ")) + ")");
    }

    /** {@code split} from the configured directory of this data set. */
    public LabeledData load(Split split) {
        return switch (this) {
            case FASHION_MNIST -> FashionMnist.load(split);
            case CIFAR10 -> Cifar.load(Cifar.Variant.CIFAR10, split);
            case CIFAR100 -> Cifar.load(Cifar.Variant.CIFAR100_FINE, split);
            case CIFAR100_COARSE -> Cifar.load(Cifar.Variant.CIFAR100_COARSE, split);
        };
    }
}
