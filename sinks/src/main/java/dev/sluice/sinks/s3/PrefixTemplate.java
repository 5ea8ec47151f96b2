package dev.sluice.sinks.s3;

import dev.sluice.operators.record.SluiceRecord;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3 key prefix as Firehose users write it, e.g. {@code events/!{timestamp:yyyy/MM/dd}/}.
 *
 * <p>Supported expressions: {@code !{timestamp:<pattern>}}, a {@link DateTimeFormatter} pattern
 * applied in UTC. As in Firehose, a prefix without any expression gets {@code yyyy/MM/dd/HH/}
 * appended, so plain prefixes keep the familiar hourly layout.
 *
 * <p>The literal part before the first expression is the {@link #root()}: the fixed directory
 * under which Sluice also keeps its manifests and error outputs, and the base path of the
 * FileSink, whose buckets are the rendered rest ({@link #renderBucket}).
 *
 * <p>Everything is validated when the template is parsed, so a typo fails the job at start-up,
 * with the offending part named, rather than producing odd object keys later.
 */
public final class PrefixTemplate implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Firehose's default time layout, appended to prefixes without expressions. */
    public static final String DEFAULT_TIME_EXPRESSION = "!{timestamp:yyyy/MM/dd/HH}/";

    private static final Pattern EXPRESSION = Pattern.compile("!\\{([^}:]*):([^}]*)}");

    /** Characters S3 documents as safe in keys, plus '/'. */
    private static final Pattern SAFE_LITERAL = Pattern.compile("[A-Za-z0-9!_.*'()/=-]*");

    private final String text;
    private final String root;
    private final List<Part> bucketParts;

    private PrefixTemplate(String text, String root, List<Part> bucketParts) {
        this.text = text;
        this.root = root;
        this.bucketParts = bucketParts;
    }

    /**
     * @param prefix the prefix as configured; a leading '/' is dropped
     * @throws IllegalArgumentException naming the part that is not valid
     */
    public static PrefixTemplate parse(String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (!p.contains("!{")) {
            p = (p.isEmpty() || p.endsWith("/") ? p : p + "/") + DEFAULT_TIME_EXPRESSION;
        }
        List<Part> parts = new ArrayList<>();
        Matcher m = EXPRESSION.matcher(p);
        int last = 0;
        while (m.find()) {
            parts.add(literal(p.substring(last, m.start()), prefix));
            parts.add(expression(m.group(1), m.group(2), prefix));
            last = m.end();
        }
        parts.add(literal(p.substring(last), prefix));

        // The root is the literal text up to the last '/' before the first expression.
        String head = ((Literal) parts.get(0)).text;
        int slash = head.lastIndexOf('/');
        String root = slash < 0 ? "" : head.substring(0, slash + 1);
        List<Part> bucket = new ArrayList<>();
        bucket.add(new Literal(head.substring(root.length())));
        bucket.addAll(parts.subList(1, parts.size()));
        return new PrefixTemplate(p, root, List.copyOf(bucket));
    }

    private static Literal literal(String text, String prefix) {
        if (text.contains("!{") || text.contains("}")) {
            throw new IllegalArgumentException(
                    "S3 prefix '" + prefix + "' has an unterminated or malformed !{…} expression");
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

    private static Part expression(String namespace, String argument, String prefix) {
        if (!namespace.equals("timestamp")) {
            throw new IllegalArgumentException(
                    "S3 prefix '"
                            + prefix
                            + "' uses !{"
                            + namespace
                            + ":…}; Sluice supports !{timestamp:<pattern>} here");
        }
        DateTimeFormatter formatter;
        try {
            formatter = DateTimeFormatter.ofPattern(argument).withZone(ZoneOffset.UTC);
            String sample = formatter.format(Instant.EPOCH);
            if (!SAFE_LITERAL.matcher(sample).matches()) {
                throw new IllegalArgumentException("renders unsafe characters: " + sample);
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException(
                    "S3 prefix '"
                            + prefix
                            + "' has an invalid timestamp pattern '"
                            + argument
                            + "': "
                            + e.getMessage(),
                    e);
        }
        return new Timestamp(argument);
    }

    /** The prefix with the default time layout added where it had no expression. */
    public String text() {
        return text;
    }

    /** The fixed directory before the first expression: empty, or ending in '/'. */
    public String root() {
        return root;
    }

    /** The part after {@link #root()} for a record that arrived at {@code epochMillis}. */
    public String renderBucket(long epochMillis) {
        StringBuilder out = new StringBuilder();
        Instant instant = Instant.ofEpochMilli(epochMillis);
        for (Part part : bucketParts) {
            part.appendTo(out, instant);
        }
        return out.toString();
    }

    /**
     * The part after {@link #root()} for a record: its Kinesis arrival time, so a record replayed
     * after a failure lands in the same directory as before.
     */
    public String renderBucket(SluiceRecord record) {
        return renderBucket(record.getApproximateArrivalTimestamp());
    }

    /** The whole key prefix for a record that arrived at {@code epochMillis}. */
    public String render(long epochMillis) {
        return root + renderBucket(epochMillis);
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Part extends Serializable {
        void appendTo(StringBuilder out, Instant instant);
    }

    private static final class Literal implements Part {
        private static final long serialVersionUID = 1L;
        private final String text;

        Literal(String text) {
            this.text = text;
        }

        @Override
        public void appendTo(StringBuilder out, Instant instant) {
            out.append(text);
        }
    }

    private static final class Timestamp implements Part {
        private static final long serialVersionUID = 1L;
        private final String pattern;
        private transient DateTimeFormatter formatter;

        Timestamp(String pattern) {
            this.pattern = pattern;
        }

        @Override
        public void appendTo(StringBuilder out, Instant instant) {
            if (formatter == null) {
                formatter = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
            }
            formatter.formatTo(instant, out);
        }
    }
}
