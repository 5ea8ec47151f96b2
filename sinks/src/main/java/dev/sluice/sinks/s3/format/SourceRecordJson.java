package dev.sluice.sinks.s3.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;

/**
 * The fields every line that carries a source record shares, error envelopes and backup lines
 * alike: its bytes as base64 and its Kinesis coordinates, under one set of names.
 */
public final class SourceRecordJson {

    private SourceRecordJson() {}

    /** {@code rawData}: the record's bytes as base64. */
    public static void putRawData(ObjectNode node, byte[] rawData) {
        node.put("rawData", Base64.getEncoder().encodeToString(rawData));
    }

    /** Where the record came from: stream, shard, partition key and sequence number. */
    public static void putCoordinates(
            ObjectNode node,
            String stream,
            String shardId,
            String partitionKey,
            String sequenceNumber) {
        node.put("stream", stream);
        node.put("shardId", shardId);
        node.put("partitionKey", partitionKey);
        node.put("sequenceNumber", sequenceNumber);
    }

    /** The original bytes, byte for byte. */
    public static byte[] rawData(JsonNode node) {
        return Base64.getDecoder().decode(node.path("rawData").asText());
    }
}
