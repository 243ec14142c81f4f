package org.deqnc.magic;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code key=value} magic arguments through lib's strict {@link ConfigSchema} (the same keys, errors
 * and "did you mean" as configurations), and their tab completion: {@code key=} for keys not yet
 * given, then the accepted values of a choice or enum key.
 */
final class KeyValues {

    private KeyValues() {
    }

    /** Parses already-split {@code key=value} arguments; a value may contain spaces (quoted in the cell). */
    static Config parse(ConfigSchema schema, List<String> args) {
        return schema.parse(pairs(schema.name(), schema, args));
    }

    /** The arguments as a key to value map, in order; not yet validated against {@code schema}. */
    static Map<String, String> pairs(String magic, ConfigSchema schema, List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new MagicException(magic, "expected key=value, got '" + a + "'; accepted keys: " + keyList(schema));
            }
            String key = a.substring(0, eq).trim();
            if (values.put(key, a.substring(eq + 1).trim()) != null) {
                throw new MagicException(magic, "key '" + key + "' given twice");
            }
        }
        return values;
    }

    static String keyList(ConfigSchema schema) {
        return String.join(", ", schema.keys().stream().map(ConfigKey::name).toList());
    }

    /** Completes {@code key=} and, after it, the values the key lists ({@link ConfigKey#choices()}). */
    static MagicSpec.ArgumentCompleter completer(ConfigSchema schema) {
        return (previous, prefix) -> {
            int eq = prefix.indexOf('=');
            if (eq > 0) {
                String key = prefix.substring(0, eq);
                return schema.key(key).map(k -> k.choices().stream().map(v -> key + "=" + v).toList()).orElse(List.of());
            }
            Set<String> used = new TreeSet<>();
            previous.forEach(p -> used.add(p.contains("=") ? p.substring(0, p.indexOf('=')) : p));
            List<String> out = new ArrayList<>();
            schema.keys().stream().map(ConfigKey::name).filter(n -> !used.contains(n)).forEach(n -> out.add(n + "="));
            return out;
        };
    }
}
