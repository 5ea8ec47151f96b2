package dev.sluice.operators.source.position;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/**
 * A shard of a stream: the key of a source position. Shard ids are unique only within a stream, so
 * positions are kept per stream and shard.
 *
 * @param stream the stream's name
 * @param shardId the shard's id, e.g. {@code shardId-000000000003}
 */
public record StreamShard(String stream, String shardId)
        implements Serializable, Comparable<StreamShard> {

    private static final Comparator<StreamShard> ORDER =
            Comparator.comparing(StreamShard::stream).thenComparing(StreamShard::shardId);

    public StreamShard {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(shardId, "shardId");
    }

    @Override
    public int compareTo(StreamShard other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return stream + "/" + shardId;
    }
}
