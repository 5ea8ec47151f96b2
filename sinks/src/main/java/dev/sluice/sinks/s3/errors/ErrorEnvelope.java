package dev.sluice.sinks.s3.errors;

import dev.sluice.sinks.s3.format.SourceRecordJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One line of an error file: a record that did not reach the data prefix, with the reason and
 * everything needed to replay it.
 *
 * <p>The shape follows Firehose's processing-failed records ({@code errorCode}, {@code
 * errorMessage}, {@code attemptsMade}, {@code rawData} as base64) and adds the Kinesis coordinates
 * Firehose drops, so a failed record can be traced to its shard and sequence number. {@code
 * rawData} is base64 of the bytes exactly as read from Kinesis: {@link #fromJson(byte[])} and
 * {@link #rawData()} give them back byte for byte. Times are milliseconds since the epoch.
 */
public record ErrorEnvelope(
        String errorCode,
        String errorMessage,
        byte[] rawData,
        int attemptsMade,
        long approximateArrivalTimestamp,
        long eventTimestamp,
        String stream,
        String shardId,
        String partitionKey,
        String sequenceNumber,
        long processingTimestamp) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ErrorEnvelope {
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(rawData, "rawData");
        errorMessage = errorMessage == null ? "" : errorMessage;
    }

    /** One JSON object, no line break (the file writer adds it). */
    public byte[] toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("errorCode", errorCode);
        node.put("errorMessage", errorMessage);
        SourceRecordJson.putRawData(node, rawData);
        node.put("attemptsMade", attemptsMade);
        node.put("approximateArrivalTimestamp", approximateArrivalTimestamp);
        node.put("eventTimestamp", eventTimestamp);
        SourceRecordJson.putCoordinates(node, stream, shardId, partitionKey, sequenceNumber);
        node.put("processingTimestamp", processingTimestamp);
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a line written by {@link #toJson()}: how a replay tool gets the original bytes back.
     */
    public static ErrorEnvelope fromJson(byte[] line) {
        try {
            JsonNode n = MAPPER.readTree(line);
            return new ErrorEnvelope(
                    n.path("errorCode").asText(),
                    n.path("errorMessage").asText(),
                    SourceRecordJson.rawData(n),
                    n.path("attemptsMade").asInt(),
                    n.path("approximateArrivalTimestamp").asLong(),
                    n.path("eventTimestamp").asLong(),
                    textOrNull(n, "stream"),
                    textOrNull(n, "shardId"),
                    textOrNull(n, "partitionKey"),
                    textOrNull(n, "sequenceNumber"),
                    n.path("processingTimestamp").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorEnvelope e
                && attemptsMade == e.attemptsMade
                && approximateArrivalTimestamp == e.approximateArrivalTimestamp
                && eventTimestamp == e.eventTimestamp
                && processingTimestamp == e.processingTimestamp
                && errorCode.equals(e.errorCode)
                && errorMessage.equals(e.errorMessage)
                && Arrays.equals(rawData, e.rawData)
                && Objects.equals(stream, e.stream)
                && Objects.equals(shardId, e.shardId)
                && Objects.equals(partitionKey, e.partitionKey)
                && Objects.equals(sequenceNumber, e.sequenceNumber);
    }

    @Override
    public int hashCode() {
        return Objects.hash(errorCode, shardId, sequenceNumber) * 31 + Arrays.hashCode(rawData);
    }

    /** Never prints the payload or the message. */
    @Override
    public String toString() {
        return "ErrorEnvelope{errorCode="
                + errorCode
                + ", shardId="
                + shardId
                + ", sequenceNumber="
                + sequenceNumber
                + ", bytes="
                + rawData.length
                + '}';
    }
}
