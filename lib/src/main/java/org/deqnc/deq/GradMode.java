package org.deqnc.deq;

import ai.djl.pytorch.jni.JniUtils;

/** Scoped switch of PyTorch's grad mode; restores the previous mode on close. */
final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean on) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
    }

    static GradMode off() {
        return new GradMode(false);
    }

    static GradMode on() {
        return new GradMode(true);
    }

    static boolean isOn() {
        return JniUtils.isGradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
