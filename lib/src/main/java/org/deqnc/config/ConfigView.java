package org.deqnc.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The base of a typed configuration ({@code DeqConfig}, {@code Experiment}, {@code SolverOptions}, ...): an
 * immutable wrapper over one {@link Config} of a fixed {@link ConfigSchema}. A subclass declares its keys and
 * schema, adds typed accessors and a {@link #wrap} that re-checks its cross-key rules; this base gives it
 * typed reads and copies ({@link #get}, {@link #with(ConfigKey, Object)}), the table and the
 * {@code key=value} echo, and value equality.
 *
 * <pre>{@code
 * DeqConfig c = DeqConfig.builder().set(DeqConfig.HIDDEN, 128).build();
 * DeqConfig d = c.with(DeqConfig.TOL, 1e-6);
 * }</pre>
 *
 * @param <V> the concrete view type
 */
public abstract class ConfigView<V extends ConfigView<V>> {

    private final Config config;

    /** @param config a configuration of the subclass's schema */
    protected ConfigView(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The same view type over {@code config} (a configuration of the same schema); checks cross-key rules. */
    protected abstract V wrap(Config config);

    /** The underlying generic configuration (for tables, magics and embedding in another schema). */
    public final Config asConfig() {
        return config;
    }

    /** The value of {@code key}, which must be a key of this view's schema. */
    public final <T> T get(ConfigKey<T> key) {
        return config.get(key);
    }

    /** A copy with {@code key} set to {@code value} (validated like parsed input). */
    public final <T> V with(ConfigKey<T> key, T value) {
        return wrap(config.with(key, value));
    }

    /** A copy with the key named {@code key} set to {@code value}: text or a typed value, validated. */
    public final V with(String key, Object value) {
        return wrap(config.with(key, value));
    }

    /** Key, value and whether it is the default, one row per key. */
    public final String table() {
        return config.table();
    }

    /** The effective configuration as {@code key=value} tokens ({@link ConfigSchema#parseText} reads it back). */
    @Override
    public final String toString() {
        return config.toString();
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((ConfigView<?>) o).config.equals(config);
    }

    @Override
    public final int hashCode() {
        return config.hashCode();
    }

    /**
     * A fluent builder of a view: typed {@link #set(ConfigKey, Object)} checks the value at once; the
     * by-name {@link #set(String, Object)} is checked at {@link #build()}, which fails on unknown names with
     * the nearest key.
     *
     * @param <V> the view type built
     * @param <B> the concrete builder type, returned by every setter
     */
    public abstract static class Builder<V, B extends Builder<V, B>> {
        private final ConfigSchema schema;
        private final Function<Config, V> factory;
        private final Map<String, Object> values = new LinkedHashMap<>();

        /**
         * @param schema  the keys this builder accepts
         * @param factory wraps the parsed configuration in the view type (and checks cross-key rules)
         * @param start   explicitly set values of this configuration are the starting point; null for none
         */
        protected Builder(ConfigSchema schema, Function<Config, V> factory, Config start) {
            this.schema = Objects.requireNonNull(schema, "schema");
            this.factory = Objects.requireNonNull(factory, "factory");
            if (start != null) {
                start.asText().forEach((k, v) -> {
                    if (!start.isDefault(k)) {
                        values.put(k, v);
                    }
                });
            }
        }

        /** Sets {@code key}, a key of this builder's schema, to {@code value}; a bad value fails here. */
        public final <T> B set(ConfigKey<T> key, T value) {
            if (schema.key(key.name()).orElse(null) != key) {
                throw new ConfigException(schema.name() + ": key '" + key.name() + "' is not a key of this schema"
                        + "; accepted keys: " + String.join(", ", schema.keys().stream().map(ConfigKey::name).toList()));
            }
            String text = key.format(Objects.requireNonNull(value, key.name()));
            key.parse(schema.name(), text);
            values.put(key.name(), text);
            return self();
        }

        /** Sets any key by name, e.g. {@code set("fallback", "broyden,picard")}; checked at {@link #build()}. */
        public final B set(String key, Object value) {
            values.put(key, value);
            return self();
        }

        /** Validates every value like parsed text and builds the view. */
        public V build() {
            return factory.apply(schema.parse(values));
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }
    }
}
