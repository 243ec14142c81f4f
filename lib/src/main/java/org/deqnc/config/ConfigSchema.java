package org.deqnc.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict set of typed keys. Parses {@code key=value} input from a {@link Map}, from one line of
 * whitespace-separated tokens ({@code "tol=1e-4 max_iter=30"}) or from a multi-line body
 * ({@code "tol = 1e-4"} per line, {@code #} comments) into an immutable {@link Config}.
 *
 * <p>Unknown keys fail with the nearest valid key and the accepted keys; bad values fail naming the
 * key and what it accepts; a key given twice fails. Each error is one line, prefixed by the schema's
 * name (e.g. {@code deq: unknown key 'maxiter' (did you mean 'max_iter'?); accepted keys: ...}).
 */
public final class ConfigSchema {

    private final String name;
    private final Map<String, ConfigKey<?>> keys;

    private ConfigSchema(String name, Map<String, ConfigKey<?>> keys) {
        this.name = name;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** Starts a schema; {@code name} prefixes every error message (e.g. "deq", "%solve"). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Keys in declaration order. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    public Optional<ConfigKey<?>> key(String keyName) {
        return Optional.ofNullable(keys.get(keyName));
    }

    /** The configuration with every key at its default. */
    public Config defaults() {
        return new Config(this, Map.of());
    }

    /** Parses a map of key to value; values may be text or typed (they are validated via their text). */
    public Config parse(Map<String, ?> values) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            ConfigKey<?> key = require(e.getKey());
            parsed.put(key.name(), key.parse(name, text(e.getValue())));
        }
        return new Config(this, parsed);
    }

    /**
     * The configuration of this schema holding what {@code other}, a configuration of a schema that embeds
     * some of these keys under the same names, sets explicitly; every other key stays at its default.
     */
    public Config select(Config other) {
        Map<String, String> set = new LinkedHashMap<>();
        other.asText().forEach((keyName, value) -> {
            if (keys.containsKey(keyName) && !other.isDefault(keyName)) {
                set.put(keyName, value);
            }
        });
        return parse(set);
    }

    /** Parses one line of {@code key=value} tokens separated by whitespace. Values may be single-quoted. */
    public Config parseArgs(String line) {
        return parse(pairs(tokens(line)));
    }

    /**
     * Parses a multi-line body: one {@code key = value} per line; blank lines and text after
     * {@code #} are ignored.
     */
    public Config parseBody(String body) {
        List<String> entries = new ArrayList<>();
        for (String raw : body.split("\\R")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (!line.isEmpty()) {
                entries.add(line);
            }
        }
        return parse(pairs(entries));
    }

    /**
     * Parses {@link #parseBody a multi-line body} when {@code text} has several lines, else
     * {@link #parseArgs one line of tokens}: what a {@code parse(String)} of a typed configuration accepts.
     */
    public Config parseText(String text) {
        return text.contains("\n") ? parseBody(text) : parseArgs(text);
    }

    /** A table of every key: name, default, accepted values, description. */
    public String help() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"key", "default", "accepts", "description"});
        for (ConfigKey<?> k : keys.values()) {
            rows.add(new String[] {k.name(), k.formatUnchecked(k.defaultValue()), k.accepts(), k.description()});
        }
        return Tables.render(rows);
    }

    ConfigKey<?> require(String keyName) {
        ConfigKey<?> key = keys.get(keyName == null ? "" : keyName.trim());
        if (key == null) {
            throw new ConfigException(name + ": unknown key '" + keyName + "'" + DidYouMean.hint(keyName, keys.keySet())
                    + "; accepted keys: " + String.join(", ", keys.keySet()));
        }
        return key;
    }

    private Map<String, String> pairs(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(name + ": expected key=value, got '" + entry + "'");
            }
            String k = entry.substring(0, eq).trim();
            String v = unquote(entry.substring(eq + 1).trim());
            require(k);
            if (out.put(k, v) != null) {
                throw new ConfigException(name + ": key '" + k + "' given twice");
            }
        }
        return out;
    }

    /** Splits on whitespace outside single quotes; "k = v" with spaces around '=' is joined back. */
    private List<String> tokens(String line) {
        List<String> raw = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                cur.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) {
                    raw.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new ConfigException(name + ": unbalanced quote in '" + line.trim() + "'");
        }
        if (cur.length() > 0) {
            raw.add(cur.toString());
        }
        List<String> joined = new ArrayList<>();
        for (String t : raw) {
            int last = joined.size() - 1;
            if (last >= 0 && (t.startsWith("=") || joined.get(last).endsWith("="))) {
                joined.set(last, joined.get(last) + t);
            } else {
                joined.add(t);
            }
        }
        return joined;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("'") && v.endsWith("'") ? v.substring(1, v.length() - 1) : v;
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "none" : String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(value);
    }

    /** Collects keys; names must be unique. */
    public static final class Builder {
        private final String name;
        private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder add(ConfigKey<?> key) {
            if (keys.put(key.name(), key) != null) {
                throw new IllegalArgumentException(name + ": key '" + key.name() + "' declared twice");
            }
            return this;
        }

        public ConfigSchema build() {
            return new ConfigSchema(name, new LinkedHashMap<>(keys));
        }
    }
}
