package dev.sluice.sinks.s3.prefix;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One piece of a {@link PrefixTemplate}: literal text, or one of the {@code !{namespace:argument}}
 * expressions Firehose users know. Arguments are checked when the prefix is parsed, so a typo fails
 * the job at start-up.
 */
interface PrefixExpression extends Serializable {

    String TIMESTAMP = "timestamp";
    String PARTITION_KEY_FROM_QUERY = "partitionKeyFromQuery";
    String PARTITION_KEY_FROM_LAMBDA = "partitionKeyFromLambda";

    /** Characters S3 documents as safe in keys, plus '/'. */
    Pattern SAFE_LITERAL = Pattern.compile("[A-Za-z0-9!_.*'()/=-]*");

    /** A field name in a field path. */
    Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** A transform's partition key name. */
    Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    void appendTo(StringBuilder out, PartitionInput input) throws PartitioningException;

    /** Whether the expression reads the record, not only a time. */
    default boolean needsRecord() {
        return false;
    }

    /**
     * @param prefix the whole prefix, to name it in errors
     * @throws IllegalArgumentException for an unknown namespace or an invalid argument
     */
    static PrefixExpression parse(String namespace, String argument, String prefix) {
        switch (namespace) {
            case TIMESTAMP:
                return Timestamp.parse(argument, prefix);
            case PARTITION_KEY_FROM_QUERY:
                return PayloadField.parse(argument, prefix);
            case PARTITION_KEY_FROM_LAMBDA:
                return TransformKey.parse(argument, prefix);
            default:
                String supported =
                        "; Sluice supports !{timestamp:<pattern>}, !{partitionKeyFromQuery:<field>}"
                                + " and !{partitionKeyFromLambda:<key>}";
                String firehose =
                        namespace.equals("firehose")
                                ? " (error prefixes are chosen by Sluice: <root>errors/<type>/)"
                                : "";
                throw new IllegalArgumentException(
                        "S3 prefix '"
                                + prefix
                                + "' uses !{"
                                + namespace
                                + ":…}"
                                + supported
                                + firehose);
        }
    }

    /** Text outside expressions, checked to hold only characters safe in S3 keys. */
    final class Literal implements PrefixExpression {
        private static final long serialVersionUID = 1L;
        final String text;

        Literal(String text) {
            this.text = text;
        }

        static Literal parse(String text, String prefix) {
            if (text.contains("!{") || text.contains("}")) {
                throw new IllegalArgumentException(
                        "S3 prefix '"
                                + prefix
                                + "' has an unterminated or malformed !{…} expression");
            }
            if (!SAFE_LITERAL.matcher(text).matches()) {
                throw new IllegalArgumentException(
                        "S3 prefix '"
                                + prefix
                                + "' may hold only letters, digits, ! _ . * ' ( ) = - / outside"
                                + " expressions; '"
                                + text
                                + "' does not");
            }
            if (text.contains("//") || text.contains("..")) {
                throw new IllegalArgumentException(
                        "S3 prefix '" + prefix + "' must not contain '//' or '..'");
            }
            return new Literal(text);
        }

        @Override
        public void appendTo(StringBuilder out, PartitionInput input) {
            out.append(text);
        }
    }

    /**
     * {@code !{timestamp:<pattern>}}: the input's instant in UTC.
     *
     * <p>Consecutive records nearly always fall in the same hour, so the text rendered last is kept
     * and reused while the instant stays within the pattern's finest field ({@link
     * #unchangedWithinMillis}): formatting every record with {@code java.time} was a few percent of
     * the whole job's CPU in a profile of the pipeline.
     */
    final class Timestamp implements PrefixExpression {
        private static final long serialVersionUID = 1L;
        private static final long SECOND = 1_000L;
        private static final long MINUTE = 60 * SECOND;
        private static final long HOUR = 60 * MINUTE;
        private static final long DAY = 24 * HOUR;

        /**
         * Fields of a date, and of the zone, which is always UTC here: the same all day. The
         * pattern letters of {@link DateTimeFormatter}.
         */
        private static final String DAY_LETTERS = "GuyYQqMLwWdDEecFVvzOXxZp";

        /** Fields of an hour: the same for an hour. */
        private static final String HOUR_LETTERS = "ahKkH";

        private final String pattern;
        private final long window;
        private transient DateTimeFormatter formatter;

        /** One reference, so that a reader always sees a window with its own text. */
        private transient Rendered last;

        private record Rendered(long window, String text) {}

        private Timestamp(String pattern) {
            this.pattern = pattern;
            this.window = unchangedWithinMillis(pattern);
        }

        static Timestamp parse(String pattern, String prefix) {
            try {
                String sample = formatter(pattern).format(Instant.EPOCH);
                if (!SAFE_LITERAL.matcher(sample).matches()) {
                    throw new IllegalArgumentException("renders unsafe characters: " + sample);
                }
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new IllegalArgumentException(
                        "S3 prefix '"
                                + prefix
                                + "' has an invalid timestamp pattern '"
                                + pattern
                                + "': "
                                + e.getMessage(),
                        e);
            }
            return new Timestamp(pattern);
        }

        private static DateTimeFormatter formatter(String pattern) {
            return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        }

        /**
         * How many milliseconds, counted from the epoch, the pattern's rendering stays the same in
         * UTC: a day for dates, an hour with an hour field, down to a millisecond for fractions.
         * Letters inside quotes are literal text; letters this method does not know count as
         * milliseconds, which only costs the cache its use.
         */
        static long unchangedWithinMillis(String pattern) {
            long within = DAY;
            boolean quoted = false;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\'') {
                    quoted = !quoted;
                } else if (!quoted && Character.isLetter(c)) {
                    within = Math.min(within, fieldMillis(c));
                }
            }
            return within;
        }

        private static long fieldMillis(char letter) {
            if (DAY_LETTERS.indexOf(letter) >= 0) {
                return DAY;
            } else if (HOUR_LETTERS.indexOf(letter) >= 0) {
                return HOUR;
            } else if (letter == 'm') {
                return MINUTE;
            } else if (letter == 's') {
                return SECOND;
            }
            return 1L;
        }

        @Override
        public void appendTo(StringBuilder out, PartitionInput input) {
            long at = Math.floorDiv(input.epochMillis(), window);
            Rendered rendered = last;
            if (rendered == null || rendered.window() != at) {
                if (formatter == null) {
                    formatter = formatter(pattern);
                }
                rendered = new Rendered(at, formatter.format(input.instant()));
                last = rendered;
            }
            out.append(rendered.text());
        }
    }

    /**
     * An expression whose value is a record's partition value: read from the record, then
     * percent-encoded ({@link PartitionValueEncoding}) so it stays inside its directory.
     */
    abstract class PartitionValue implements PrefixExpression {
        private static final long serialVersionUID = 1L;

        /** The expression as written, e.g. {@code !{partitionKeyFromLambda:tenant}}. */
        final String expression;

        PartitionValue(String namespace, String argument) {
            this.expression = "!{" + namespace + ":" + argument + "}";
        }

        /** The raw value: not null, not empty. */
        abstract String value(PartitionInput input) throws PartitioningException;

        @Override
        public final void appendTo(StringBuilder out, PartitionInput input)
                throws PartitioningException {
            out.append(PartitionValueEncoding.encode(value(input)));
        }

        @Override
        public final boolean needsRecord() {
            return true;
        }
    }

    /** {@code !{partitionKeyFromQuery:a.b}}: a scalar field of the payload's JSON. */
    final class PayloadField extends PartitionValue {
        private static final long serialVersionUID = 1L;
        private final List<String> path;

        private PayloadField(String argument, List<String> path) {
            super(PARTITION_KEY_FROM_QUERY, argument);
            this.path = path;
        }

        static PayloadField parse(String argument, String prefix) {
            List<String> path = Arrays.asList(argument.split("\\.", -1));
            if (!path.stream().allMatch(name -> FIELD_NAME.matcher(name).matches())) {
                throw new IllegalArgumentException(
                        "S3 prefix '"
                                + prefix
                                + "' has !{"
                                + PARTITION_KEY_FROM_QUERY
                                + ":"
                                + argument
                                + "}: Sluice takes a JSON field path here (a field"
                                + " name of letters, digits, _ and -, or such names joined by"
                                + " '.', e.g. customer.id), not a JQ expression");
            }
            return new PayloadField(argument, List.copyOf(path));
        }

        @Override
        String value(PartitionInput input) throws PartitioningException {
            return input.payloadField(path, expression);
        }
    }

    /** {@code !{partitionKeyFromLambda:key}}: a partition key the transform set. */
    final class TransformKey extends PartitionValue {
        private static final long serialVersionUID = 1L;
        private final String key;

        private TransformKey(String key) {
            super(PARTITION_KEY_FROM_LAMBDA, key);
            this.key = key;
        }

        static TransformKey parse(String key, String prefix) {
            if (!KEY_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException(
                        "S3 prefix '"
                                + prefix
                                + "' has !{"
                                + PARTITION_KEY_FROM_LAMBDA
                                + ":"
                                + key
                                + "}: a partition key name holds letters, digits, _ . and -");
            }
            return new TransformKey(key);
        }

        @Override
        String value(PartitionInput input) throws PartitioningException {
            return input.transformKey(key, expression);
        }
    }
}
