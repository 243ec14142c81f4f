package org.deqnc.data;

/** Which official part of a data set to read. */
public enum Split {
    TRAIN,
    TEST
}
