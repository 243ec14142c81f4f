package org.deqnc.config;

/** A configuration error; the message is one line naming the key and what is accepted. */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
