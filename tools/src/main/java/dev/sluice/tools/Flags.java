package dev.sluice.tools;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A command's {@code --flag value} pairs, read once against the flags the command knows, so that
 * each command only says what its flags mean.
 *
 * <pre>{@code
 * Flags flags = Flags.read(args, List.of("--shards", "--work-dir"));
 * int shards = flags.value("--shards", DEFAULT_SHARDS, MyOptions::positiveInt);
 * Path workDir = flags.value("--work-dir", DEFAULT_WORK_DIR, (flag, value) -> Path.of(value));
 * }</pre>
 *
 * <p>Every flag takes a value; a flag given twice keeps the last. An unknown flag or a flag without
 * a value is refused before any value is parsed, with a one-line {@link IllegalArgumentException}.
 */
public final class Flags {

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Pairs {@code args} into flags and values.
     *
     * @throws IllegalArgumentException {@code unknown flag --x} or {@code --x needs a value}
     */
    public static Flags read(String[] args, List<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            if (!known.contains(flag)) {
                throw new IllegalArgumentException("unknown flag " + flag);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            values.put(flag, args[i + 1]);
        }
        return new Flags(values);
    }

    /**
     * The value of {@code flag} as {@code parse} reads it (given the flag, for its messages and the
     * value), or {@code defaultValue} when the flag was not given.
     */
    public <T> T value(String flag, T defaultValue, BiFunction<String, String, T> parse) {
        String value = values.get(flag);
        return value == null ? defaultValue : parse.apply(flag, value);
    }
}
