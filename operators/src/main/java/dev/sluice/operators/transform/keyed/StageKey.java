package dev.sluice.operators.transform.keyed;

import dev.sluice.operators.record.SluiceRecord;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.flink.api.java.functions.KeySelector;

import java.io.IOException;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The key of a keyed transform stage: the {@code keyBy} Sluice inserts before the stage, and what
 * the stage does with records that have no key.
 *
 * <p>The Flink key is a string that starts with {@value #PRESENT} followed by the key itself, or,
 * for a record without a key, {@value #MISSING} followed by the record's shard and sequence number.
 * The marker keeps the two apart even when a payload's value looks like a shard id, and keyless
 * records spread over all subtasks instead of piling onto the subtask of one "missing" key. A
 * keyless record never writes state.
 *
 * <p>The key is read from the record as it arrived, before any step of the chain runs (the {@code
 * keyBy} sits before the stage), and is computed twice per record: once to route it and once in the
 * receiving subtask, as Flink does for every keyed stream.
 */
public final class StageKey implements KeySelector<SluiceRecord, String> {

    private static final long serialVersionUID = 1L;

    static final char PRESENT = 'k';
    static final char MISSING = 'm';

    /** Reads a key from a record; null when the record has none. */
    @FunctionalInterface
    public interface Extractor extends Serializable {
        String keyOf(SluiceRecord record) throws Exception;
    }

    private final Extractor extractor;
    private final MissingKeyPolicy missingKey;
    private final String description;

    private StageKey(Extractor extractor, MissingKeyPolicy missingKey, String description) {
        this.extractor = checkNotNull(extractor, "extractor");
        this.missingKey = checkNotNull(missingKey, "missingKey");
        this.description = description;
    }

    /**
     * The value at a payload field path: top-level {@code event_id}, or nested {@code order.id}.
     * Strings as they are, numbers and booleans as their JSON text; a missing field, {@code null},
     * an object, an array or a payload that is not a JSON object is no key.
     */
    public static StageKey field(String path, MissingKeyPolicy missingKey) {
        return new StageKey(new FieldPath(path), missingKey, "field " + path);
    }

    /**
     * The record's Kinesis partition key plus the SHA-256 of its payload: what a producer retry of
     * {@code PutRecords} repeats exactly. Every record has one.
     */
    public static StageKey partitionKeyAndPayloadHash() {
        return new StageKey(
                StageKey::partitionKeyAndPayloadHash,
                MissingKeyPolicy.PROCESSING_FAILED,
                "partition key + payload SHA-256");
    }

    /**
     * The value at a payload field path, as {@link #field} reads it, for a key looked up within a
     * stage keyed by something else ({@code dedup} under a keyed user transform).
     */
    public static Extractor fieldPath(String path) {
        return new FieldPath(path);
    }

    /**
     * The partition key plus payload SHA-256, as {@link #partitionKeyAndPayloadHash()} reads it,
     * for a key looked up within a stage keyed by something else.
     */
    public static Extractor payloadHash() {
        return StageKey::partitionKeyAndPayloadHash;
    }

    /** The user's own selector; a null key is no key. */
    public static StageKey selector(
            KeySelector<SluiceRecord, String> selector, MissingKeyPolicy missingKey) {
        checkNotNull(selector, "selector");
        return new StageKey(selector::getKey, missingKey, selector.getClass().getName());
    }

    @Override
    public String getKey(SluiceRecord record) throws Exception {
        String key = extractor.keyOf(record);
        return key != null
                ? PRESENT + key
                : MISSING + record.getShardId() + "/" + record.getSequenceNumber();
    }

    /** Whether a Flink key of this stage stands for a record without a key. */
    public static boolean isMissing(String flinkKey) {
        return flinkKey.charAt(0) == MISSING;
    }

    /** The key as the user sees it; null for a record without one. */
    public static String userKey(String flinkKey) {
        return isMissing(flinkKey) ? null : flinkKey.substring(1);
    }

    public MissingKeyPolicy missingKey() {
        return missingKey;
    }

    @Override
    public String toString() {
        return "key(" + description + ")";
    }

    static String partitionKeyAndPayloadHash(SluiceRecord record) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] data = record.getData() == null ? new byte[0] : record.getData();
        // 43 characters: the key's size matters, it is kept per key for the whole window.
        return record.getPartitionKey()
                + '/'
                + Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest(data));
    }

    /** A dotted path into a JSON object payload. */
    private static final class FieldPath implements Extractor {

        private static final long serialVersionUID = 1L;

        /** Never quotes the payload in a message: it may hold personal data. */
        private static final ObjectMapper MAPPER =
                JsonMapper.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

        private final List<String> names;

        FieldPath(String path) {
            checkArgument(path != null && !path.isBlank(), "a key field path must not be blank");
            this.names = List.of(path.trim().split("\\.", -1));
            checkArgument(
                    names.stream().noneMatch(String::isEmpty),
                    "key field path '%s' has an empty segment",
                    path);
        }

        @Override
        public String keyOf(SluiceRecord record) {
            if (record.getData() == null) {
                return null;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(record.getData());
            } catch (IOException e) {
                return null;
            }
            for (String name : names) {
                if (node == null || !node.isObject()) {
                    return null;
                }
                node = node.get(name);
            }
            if (node == null || !node.isValueNode() || node.isNull()) {
                return null;
            }
            return node.asText();
        }
    }
}
