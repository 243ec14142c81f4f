package org.deqnc.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, validated configuration: every key of its {@link ConfigSchema} has a value, either
 * given explicitly or the default. {@link #toString()} echoes the effective configuration as
 * {@code key=value} tokens that {@link ConfigSchema#parseArgs} reads back to an equal configuration.
 */
public final class Config {

    private final ConfigSchema schema;
    private final Map<String, Object> explicit;

    Config(ConfigSchema schema, Map<String, Object> explicit) {
        this.schema = schema;
        this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
    }

    public ConfigSchema schema() {
        return schema;
    }

    /** The value of {@code key}; the key must belong to this configuration's schema. */
    public <T> T get(ConfigKey<T> key) {
        ConfigKey<?> own = schema.require(key.name());
        if (own != key) {
            throw new IllegalArgumentException(schema.name() + ": key '" + key.name()
                    + "' is from another schema");
        }
        @SuppressWarnings("unchecked")
        T v = (T) explicit.getOrDefault(key.name(), key.defaultValue());
        return v;
    }

    /** The value of the key named {@code name} (unknown names fail with a suggestion). */
    public Object get(String name) {
        ConfigKey<?> key = schema.require(name);
        return explicit.getOrDefault(key.name(), key.defaultValue());
    }

    /** Whether {@code name} was left at its default. */
    public boolean isDefault(String name) {
        return !explicit.containsKey(schema.require(name).name());
    }

    /** A copy with {@code key}, a key of this configuration's schema, set to {@code value} (validated). */
    public <T> Config with(ConfigKey<T> key, T value) {
        get(key);
        return with(key.name(), key.format(value));
    }

    /** A copy with {@code name} set to {@code value} (validated like parsed input). */
    public Config with(String name, Object value) {
        return with(Map.of(name, value));
    }

    /** A copy with the given overrides applied (validated like parsed input). */
    public Config with(Map<String, ?> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(explicit);
        merged.putAll(schema.parse(overrides).explicit);
        return new Config(schema, merged);
    }

    /** Effective values as canonical text, in schema order. */
    public Map<String, String> asText() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigKey<?> k : schema.keys()) {
            out.put(k.name(), k.formatUnchecked(get(k.name())));
        }
        return out;
    }

    /** A table of the effective configuration: key, value, and whether it is the default. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"key", "value", "source"});
        asText().forEach((k, v) -> rows.add(new String[] {k, v, isDefault(k) ? "default" : "set"}));
        return Tables.render(rows);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        asText().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
                .append(v.isEmpty() || v.contains(" ") ? "'" + v + "'" : v));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && c.schema == schema && c.asText().equals(asText());
    }

    @Override
    public int hashCode() {
        return asText().hashCode();
    }
}
