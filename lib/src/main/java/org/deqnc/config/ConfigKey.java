package org.deqnc.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One typed key of a {@link ConfigSchema}: its name, default, what values it accepts and a one-line
 * description. Values always arrive as text (from a magic, a file, or {@code String.valueOf} of a
 * typed value) and are parsed and validated here, so every entry point reports the same errors.
 *
 * @param <T> the parsed value type
 */
public final class ConfigKey<T> {

    private final String name;
    private final T defaultValue;
    private final Supplier<String> accepts;
    private final Supplier<? extends Collection<String>> choices;
    private final String description;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ConfigKey(String name, T defaultValue, Supplier<String> accepts, Supplier<? extends Collection<String>> choices,
            String description, Function<String, T> parser, Function<T, String> formatter) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("name: must be a letter followed by letters, digits, '_', '.' or '-', got '"
                    + name + "'");
        }
        this.name = name;
        this.accepts = accepts;
        this.choices = choices;
        this.description = Objects.requireNonNull(description, "description");
        this.parser = parser;
        this.formatter = formatter;
        this.defaultValue = defaultValue;
    }

    /** Plain ASCII numbers only: Java's parsers also take full-width digits, "0.5d" and hex "0x1p-3". */
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("[+-]?[0-9]+");
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** {@code s} trimmed if it is a plain number of that form; otherwise a NumberFormatException. */
    private static String ascii(java.util.regex.Pattern form, String s) {
        String t = s.trim();
        if (!form.matcher(t).matches()) {
            throw new NumberFormatException(t);
        }
        return t;
    }

    /** An integer key accepting values in [min, max]. */
    public static ConfigKey<Integer> ofInt(String name, int defaultValue, int min, int max, String description) {
        String accepts = "an integer in [" + min + ", " + max + "]";
        return checkedDefault(new ConfigKey<>(name, defaultValue, () -> accepts, List::of, description, s -> {
            int v;
            try {
                v = Integer.parseInt(ascii(INTEGER, s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(accepts);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(accepts);
            }
            return v;
        }, String::valueOf));
    }

    /** A long key accepting any 64-bit integer (seeds). */
    public static ConfigKey<Long> ofLong(String name, long defaultValue, String description) {
        String accepts = "a 64-bit integer";
        return new ConfigKey<>(name, defaultValue, () -> accepts, List::of, description, s -> {
            try {
                return Long.parseLong(ascii(INTEGER, s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(accepts);
            }
        }, String::valueOf);
    }

    /** A finite floating-point key inside {@code range}. */
    public static ConfigKey<Double> ofDouble(String name, double defaultValue, Range range, String description) {
        String accepts = "a number in " + range;
        return checkedDefault(new ConfigKey<>(name, defaultValue, () -> accepts, List::of, description, s -> {
            double v;
            try {
                v = Double.parseDouble(ascii(DECIMAL, s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(accepts);
            }
            if (!Double.isFinite(v) || !range.contains(v)) {
                throw new IllegalArgumentException(accepts);
            }
            return v;
        }, ConfigKey::formatDouble));
    }

    /** A boolean key; only {@code true} and {@code false} are accepted (no guessing at "yes" or "1"). */
    public static ConfigKey<Boolean> ofBoolean(String name, boolean defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, () -> "true or false", () -> List.of("true", "false"), description, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
            throw new IllegalArgumentException("true or false");
        }, String::valueOf);
    }

    /** A free-text key (non-empty after trimming). */
    public static ConfigKey<String> ofString(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, () -> "a non-empty string", List::of, description, s -> {
            if (s.isBlank()) {
                throw new IllegalArgumentException("a non-empty string");
            }
            return s.trim();
        }, Function.identity());
    }

    /**
     * A key whose value is one of a set of names. The set is read at parse time, so a registry
     * that users extend (e.g. solver names) is validated against its current contents.
     */
    public static ConfigKey<String> ofChoice(String name, String defaultValue,
            Supplier<? extends Collection<String>> choices, String description) {
        return new ConfigKey<>(name, defaultValue, () -> oneOf(choices.get()), choices, description, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (!choices.get().contains(t)) {
                throw new BadValue(oneOf(choices.get()), DidYouMean.hint(t, choices.get()));
            }
            return t;
        }, Function.identity());
    }

    /** A key whose values are the constants of {@code type}, written in lower case. */
    public static <E extends Enum<E>> ConfigKey<E> ofEnum(String name, E defaultValue, Class<E> type,
            String description) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(ConfigKey::enumName).toList();
        return new ConfigKey<>(name, defaultValue, () -> oneOf(names), () -> names, description, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (enumName(e).equals(t)) {
                    return e;
                }
            }
            throw new BadValue(oneOf(names), DidYouMean.hint(t, names));
        }, ConfigKey::enumName);
    }

    /**
     * A comma-separated list; {@code none} or an empty value is the empty list. When
     * {@code elementChoices} is not null every element must be one of them.
     */
    public static ConfigKey<List<String>> ofList(String name, List<String> defaultValue,
            Supplier<? extends Collection<String>> elementChoices, String description) {
        Supplier<String> accepts = () -> elementChoices == null ? "a comma-separated list (or none)"
                : "a comma-separated list of " + String.join(", ", elementChoices.get()) + " (or none)";
        return new ConfigKey<>(name, List.copyOf(defaultValue), accepts,
                elementChoices == null ? List::of : elementChoices, description, s -> {
            String t = s.trim();
            if (t.isEmpty() || t.equalsIgnoreCase("none")) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String part : t.split(",", -1)) {
                String e = part.trim().toLowerCase(Locale.ROOT);
                if (e.isEmpty()) {
                    throw new BadValue(accepts.get(), " (empty element)");
                }
                if (elementChoices != null && !elementChoices.get().contains(e)) {
                    throw new BadValue(accepts.get(), " ('" + e + "' is not one of them"
                            + DidYouMean.nearest(e, elementChoices.get()).map(n -> "; did you mean '" + n + "'?")
                                    .orElse("") + ")");
                }
                out.add(e);
            }
            return List.copyOf(out);
        }, l -> l.isEmpty() ? "none" : String.join(",", l));
    }

    /**
     * This key under another name, with the same default, parser and description: lets one schema embed
     * another's keys behind a prefix (e.g. {@code deq.hidden} in an experiment) without restating them.
     */
    public ConfigKey<T> renamed(String newName) {
        return new ConfigKey<>(newName, defaultValue, accepts, choices, description, parser, formatter);
    }

    /** This key under another name and description, with the same default and accepted values. */
    public ConfigKey<T> renamed(String newName, String newDescription) {
        return new ConfigKey<>(newName, defaultValue, accepts, choices, newDescription, parser, formatter);
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Human description of the accepted values, e.g. "an integer in [1, 1000]" or "one of abs, rel". */
    public String accepts() {
        return accepts.get();
    }

    /**
     * The values this key accepts, in order, when they can be listed (choice, enum and boolean keys; the
     * elements of a list key with fixed elements); empty for numbers and free text. Completion reads them.
     */
    public List<String> choices() {
        return List.copyOf(choices.get());
    }

    /**
     * Parses and validates {@code text}; throws {@link ConfigException}
     * "{@code <scope>: <key> must be <accepts>, got '<text>'}".
     */
    public T parse(String scope, String text) {
        try {
            return parser.apply(text);
        } catch (BadValue e) {
            throw new ConfigException(scope + ": " + name + " must be " + e.getMessage() + ", got '" + text + "'"
                    + e.hint);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(scope + ": " + name + " must be " + e.getMessage() + ", got '" + text + "'");
        }
    }

    /** The canonical text of a value; {@code parse(format(v))} gives v back. */
    public String format(T value) {
        return formatter.apply(value);
    }

    @SuppressWarnings("unchecked")
    String formatUnchecked(Object value) {
        return formatter.apply((T) value);
    }

    private static <T> ConfigKey<T> checkedDefault(ConfigKey<T> key) {
        key.parse("default", key.format(key.defaultValue));
        return key;
    }

    private static String oneOf(Collection<String> choices) {
        return "one of " + String.join(", ", choices);
    }

    private static String enumName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Shortest text that parses back to the same double ("1e-4", not "1.0E-4"). */
    static String formatDouble(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return Double.toString(v).replace(".0E", "E").replace("E", "e");
    }

    /** A rejected value: what is accepted, plus a hint placed after the offending text. */
    private static final class BadValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String hint;

        BadValue(String accepts, String hint) {
            super(accepts);
            this.hint = hint;
        }
    }

    /** An interval of doubles with open or closed ends. */
    public record Range(double lo, boolean loClosed, double hi, boolean hiClosed) {
        public static Range closed(double lo, double hi) {
            return new Range(lo, true, hi, true);
        }

        public static Range atLeast(double lo) {
            return new Range(lo, true, Double.POSITIVE_INFINITY, false);
        }

        public static Range positive() {
            return new Range(0, false, Double.POSITIVE_INFINITY, false);
        }

        /** (lo, hi]: e.g. damping factors in (0, 1]. */
        public static Range openClosed(double lo, double hi) {
            return new Range(lo, false, hi, true);
        }

        public boolean contains(double v) {
            boolean aboveLo = loClosed ? v >= lo : v > lo;
            boolean belowHi = hiClosed ? v <= hi : v < hi;
            return aboveLo && belowHi;
        }

        @Override
        public String toString() {
            return (loClosed ? "[" : "(") + formatDouble(lo) + ", "
                    + (Double.isInfinite(hi) ? "inf" : formatDouble(hi)) + (hiClosed ? "]" : ")");
        }
    }
}
