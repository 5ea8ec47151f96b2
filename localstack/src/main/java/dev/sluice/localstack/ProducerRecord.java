package dev.sluice.localstack;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One record for {@link KinesisProducer}: the partition key choosing the shard, and the payload.
 *
 * @param partitionKey 1 to 256 characters
 * @param data the payload; with the key at most 1 MiB
 */
public record ProducerRecord(String partitionKey, byte[] data) {

    public ProducerRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        if (partitionKey.isEmpty() || partitionKey.length() > 256) {
            throw new IllegalArgumentException(
                    "A partition key has 1 to 256 characters, not " + partitionKey.length());
        }
    }

    /** A record with a UTF-8 payload. */
    public static ProducerRecord of(String partitionKey, String data) {
        return new ProducerRecord(partitionKey, data.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes this record counts against PutRecords' size limits: key (UTF-8) plus payload. */
    public int size() {
        return partitionKey.getBytes(StandardCharsets.UTF_8).length + data.length;
    }
}
