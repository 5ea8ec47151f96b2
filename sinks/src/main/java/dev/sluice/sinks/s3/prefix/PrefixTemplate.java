package dev.sluice.sinks.s3.prefix;

import dev.sluice.operators.record.SluiceRecord;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * An S3 key prefix as Firehose users write it, e.g. {@code
 * events/type=!{partitionKeyFromQuery:type}/!{timestamp:yyyy/MM/dd}/}.
 *
 * <p>Supported expressions:
 *
 * <ul>
 *   <li>{@code !{timestamp:<pattern>}}, a {@link java.time.format.DateTimeFormatter} pattern
 *       applied in UTC to the record's arrival or event time ({@link PrefixTimeSource});
 *   <li>{@code !{partitionKeyFromQuery:<field>}}, a scalar field of the payload's JSON, by name or
 *       dotted path ({@code customer.id});
 *   <li>{@code !{partitionKeyFromLambda:<key>}}, a partition key the transform set ({@link
 *       SluiceRecord#getPartitionKeys()}).
 * </ul>
 *
 * <p>Partition values are percent-encoded ({@link PartitionValueEncoding}), so no value can add
 * directories or leave the prefix. A record whose value is missing, null, empty or not a scalar
 * cannot be placed: {@link #renderBucket(SluiceRecord)} throws {@link PartitioningException}. As in
 * Firehose, a prefix without any expression gets {@code yyyy/MM/dd/HH/} appended, so plain prefixes
 * keep the familiar hourly layout.
 *
 * <p>The literal part before the first expression is the {@link #root()}: the fixed directory under
 * which Sluice also keeps its manifests and error outputs, and the base path of the FileSink, whose
 * buckets are the rendered rest.
 *
 * <p>Everything is validated when the template is parsed, so a typo fails the job at start-up, with
 * the offending part named, rather than producing odd object keys later.
 */
public final class PrefixTemplate implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Firehose's default time layout, appended to prefixes without expressions. */
    public static final String DEFAULT_TIME_EXPRESSION = "!{timestamp:yyyy/MM/dd/HH}/";

    /**
     * The longest rendered prefix a record may get: S3 keys hold 1024 bytes, and the rest is kept
     * for object names and the recoverable writer's {@code _<name>_tmp_<uuid>} objects beside them.
     */
    public static final int MAX_RENDERED_LENGTH = 1024 - 160;

    private static final Pattern EXPRESSION = Pattern.compile("!\\{([^}:]*):([^}]*)}");

    private final String text;
    private final String root;
    private final List<PrefixExpression> bucketParts;
    private final boolean needsRecord;
    private final PrefixTimeSource timeSource;

    private PrefixTemplate(
            String text, String root, List<PrefixExpression> bucketParts, PrefixTimeSource time) {
        this.text = text;
        this.root = root;
        this.bucketParts = bucketParts;
        this.needsRecord = bucketParts.stream().anyMatch(PrefixExpression::needsRecord);
        this.timeSource = time;
    }

    /**
     * A template rendering timestamps by {@link PrefixTimeSource#DEFAULT arrival time}.
     *
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
        List<PrefixExpression> parts = new ArrayList<>();
        Matcher m = EXPRESSION.matcher(p);
        int last = 0;
        while (m.find()) {
            parts.add(PrefixExpression.Literal.parse(p.substring(last, m.start()), prefix));
            parts.add(PrefixExpression.parse(m.group(1), m.group(2), prefix));
            last = m.end();
        }
        parts.add(PrefixExpression.Literal.parse(p.substring(last), prefix));

        // The root is the literal text up to the last '/' before the first expression.
        String head = ((PrefixExpression.Literal) parts.get(0)).text;
        int slash = head.lastIndexOf('/');
        String root = slash < 0 ? "" : head.substring(0, slash + 1);
        List<PrefixExpression> bucket = new ArrayList<>();
        bucket.add(new PrefixExpression.Literal(head.substring(root.length())));
        bucket.addAll(parts.subList(1, parts.size()));
        return new PrefixTemplate(p, root, List.copyOf(bucket), PrefixTimeSource.DEFAULT);
    }

    /** This template rendering {@code !{timestamp:…}} from {@code source}. */
    public PrefixTemplate withTimeSource(PrefixTimeSource source) {
        return new PrefixTemplate(text, root, bucketParts, checkNotNull(source, "source"));
    }

    /** The prefix with the default time layout added where it had no expression. */
    public String text() {
        return text;
    }

    /** The fixed directory before the first expression: empty, or ending in '/'. */
    public String root() {
        return root;
    }

    /** Which of a record's times {@code !{timestamp:…}} renders. */
    public PrefixTimeSource timeSource() {
        return timeSource;
    }

    /** Whether the prefix has partition keys, so it can only be rendered for a record. */
    public boolean hasPartitionKeys() {
        return needsRecord;
    }

    /**
     * The part after {@link #root()} at {@code epochMillis}, for prefixes of timestamps only.
     *
     * @throws IllegalStateException if the prefix has partition keys
     */
    public String renderBucket(long epochMillis) {
        try {
            return render(PartitionInput.ofTime(epochMillis));
        } catch (PartitioningException e) {
            throw new IllegalStateException("unreachable: no partition keys in " + text, e);
        }
    }

    /**
     * The part after {@link #root()} for a record: its partition values and its {@link
     * #timeSource()} time, both fixed properties of the record, so a record replayed after a
     * failure lands in the same directory as before.
     *
     * @throws PartitioningException if a partition value is missing, null, empty, not a scalar, or
     *     makes the prefix longer than {@link #MAX_RENDERED_LENGTH}
     */
    public String renderBucket(SluiceRecord record) throws PartitioningException {
        return render(PartitionInput.of(record, timeSource));
    }

    private String render(PartitionInput input) throws PartitioningException {
        StringBuilder out = new StringBuilder();
        for (PrefixExpression part : bucketParts) {
            part.appendTo(out, input);
        }
        if (root.length() + out.length() > MAX_RENDERED_LENGTH) {
            throw new PartitioningException(
                    PartitioningException.METADATA_EXTRACTION_FAILED,
                    "the partition values make the prefix "
                            + (root.length() + out.length())
                            + " characters long once encoded; at most "
                            + MAX_RENDERED_LENGTH
                            + " fit in an S3 key with the object name");
        }
        return out.toString();
    }

    /** The whole key prefix at {@code epochMillis}, for prefixes of timestamps only. */
    public String render(long epochMillis) {
        return root + renderBucket(epochMillis);
    }

    @Override
    public String toString() {
        return text;
    }
}
