package dev.sluice.sinks.s3.prefix;

import dev.sluice.operators.record.SluiceRecord;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.sluice.sinks.s3.prefix.PartitioningException.METADATA_EXTRACTION_FAILED;

/**
 * What one record offers the expressions of a prefix: the instant to render, the partition keys its
 * transform set, and its payload's JSON fields.
 *
 * <p>The payload is parsed lazily and at most once, so a prefix without {@code
 * partitionKeyFromQuery} never pays for JSON parsing and one with several pays once. Problems
 * become {@link PartitioningException}s whose messages name the expression, never a value: values
 * come from the payload and may be personal data.
 */
final class PartitionInput {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final long epochMillis;
    private final SluiceRecord record;
    private Instant instant;
    private JsonNode payload;
    private boolean parsed;

    private PartitionInput(long epochMillis, SluiceRecord record) {
        this.epochMillis = epochMillis;
        this.record = record;
    }

    /** Input for a prefix of timestamps only: there is no record to take keys from. */
    static PartitionInput ofTime(long epochMillis) {
        return new PartitionInput(epochMillis, null);
    }

    static PartitionInput of(SluiceRecord record, PrefixTimeSource timeSource) {
        return new PartitionInput(timeSource.timestampOf(record), record);
    }

    long epochMillis() {
        return epochMillis;
    }

    Instant instant() {
        if (instant == null) {
            instant = Instant.ofEpochMilli(epochMillis);
        }
        return instant;
    }

    /** The transform's partition key {@code key}: present and not empty. */
    String transformKey(String key, String expression) throws PartitioningException {
        Map<String, String> keys = requireRecord(expression).getPartitionKeys();
        String value = keys == null ? null : keys.get(key);
        if (value == null) {
            throw failed(expression, "the transform set no partition key '" + key + "'");
        }
        if (value.isEmpty()) {
            throw failed(expression, "the transform's partition key '" + key + "' is empty");
        }
        return value;
    }

    /** The scalar at {@code path} in the payload's JSON, as text: not null, not empty. */
    String payloadField(List<String> path, String expression) throws PartitioningException {
        requireRecord(expression);
        JsonNode node = parsedPayload();
        if (node == null || !node.isObject()) {
            throw failed(expression, "the payload is not a JSON object");
        }
        String dotted = String.join(".", path);
        for (String name : path) {
            node = node.isObject() ? node.get(name) : null;
            if (node == null) {
                throw failed(expression, "the payload has no field '" + dotted + "'");
            }
        }
        if (node.isNull()) {
            throw failed(expression, "field '" + dotted + "' is null");
        }
        if (!node.isValueNode()) {
            throw failed(
                    expression,
                    "field '"
                            + dotted
                            + "' is "
                            + (node.isArray() ? "an array" : "an object")
                            + "; a partition value must be a string, number or boolean");
        }
        String value = node.asText();
        if (value.isEmpty()) {
            throw failed(expression, "field '" + dotted + "' is an empty string");
        }
        return value;
    }

    private SluiceRecord requireRecord(String expression) {
        if (record == null) {
            throw new IllegalStateException(
                    expression + " takes its value from a record; render this prefix per record");
        }
        return record;
    }

    private JsonNode parsedPayload() {
        if (!parsed) {
            parsed = true;
            byte[] data = record.getData();
            try {
                payload = data == null || data.length == 0 ? null : JSON.readTree(data);
            } catch (IOException e) {
                payload = null; // Jackson's message quotes the payload: not kept.
            }
        }
        return payload;
    }

    private static PartitioningException failed(String expression, String problem) {
        return new PartitioningException(METADATA_EXTRACTION_FAILED, expression + ": " + problem);
    }
}
