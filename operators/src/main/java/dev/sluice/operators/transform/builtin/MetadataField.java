package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Kinesis metadata that {@link AddMetadataTransform} can copy into the payload, by the name used in
 * configuration. Times are ISO-8601 UTC strings, which Redshift's {@code TIMEFORMAT 'auto'} and
 * PostgreSQL both read as timestamps.
 */
public enum MetadataField {
    STREAM("stream", SluiceRecord::getStream),
    SHARD_ID("shardId", SluiceRecord::getShardId),
    PARTITION_KEY("partitionKey", SluiceRecord::getPartitionKey),
    SEQUENCE_NUMBER("sequenceNumber", SluiceRecord::getSequenceNumber),
    APPROXIMATE_ARRIVAL_TIMESTAMP(
            "approximateArrivalTimestamp",
            r -> Instant.ofEpochMilli(r.getApproximateArrivalTimestamp()).toString()),
    EVENT_TIMESTAMP("eventTimestamp", r -> Instant.ofEpochMilli(r.getEventTimestamp()).toString());

    private final String configName;
    private final Function<SluiceRecord, String> read;

    MetadataField(String configName, Function<SluiceRecord, String> read) {
        this.configName = configName;
        this.read = read;
    }

    public String configName() {
        return configName;
    }

    String valueOf(SluiceRecord record) {
        return read.apply(record);
    }

    /**
     * @throws IllegalArgumentException listing the known names
     */
    public static MetadataField fromConfigName(String name) {
        for (MetadataField f : values()) {
            if (f.configName.equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown metadata field '"
                        + name
                        + "'; known: "
                        + Arrays.stream(values())
                                .map(MetadataField::configName)
                                .collect(Collectors.joining(", ")));
    }
}
