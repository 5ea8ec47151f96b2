package dev.sluice.sinks.s3;

import dev.sluice.sinks.s3.format.SourceRecordJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The source-record backup under {@code <root>backup/}, in hourly UTC directories: one JSON line
 * per record with its bytes as base64 ({@code rawData}) and its Kinesis coordinates, GZIP
 * compressed, committed exactly once on checkpoints like the data.
 *
 * <p>Firehose writes backups as the raw records run together; a line per record with base64 keeps
 * record boundaries for any payload (binary included) and lets a backup be replayed into a stream
 * record by record.
 */
public final class SourceBackup {

    /** The directory under the prefix's fixed part. */
    public static final String DIRECTORY = "backup";

    /** Backup objects start with this, so they are told apart from data files at a glance. */
    public static final String PART_PREFIX = "sluice-backup";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SourceBackup() {}

    /** {@code <root>backup/}, where {@code root} ends with '/' or is empty. */
    public static String prefix(String root) {
        String base = root.isEmpty() || root.endsWith("/") ? root : root + "/";
        return base + DIRECTORY + "/";
    }

    /** One backup line (without the line break, which the file writer adds). */
    public static byte[] line(
            byte[] rawData,
            String stream,
            String shardId,
            String partitionKey,
            String sequenceNumber,
            long approximateArrivalTimestamp) {
        ObjectNode node = MAPPER.createObjectNode();
        SourceRecordJson.putRawData(node, rawData);
        SourceRecordJson.putCoordinates(node, stream, shardId, partitionKey, sequenceNumber);
        node.put("approximateArrivalTimestamp", approximateArrivalTimestamp);
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The original record bytes of a backup line, byte for byte. */
    public static byte[] rawData(byte[] line) {
        try {
            return SourceRecordJson.rawData(MAPPER.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
