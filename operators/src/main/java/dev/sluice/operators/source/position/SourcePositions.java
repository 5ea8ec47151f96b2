package dev.sluice.operators.source.position;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The highest {@link SourcePosition} per {@link StreamShard}: what a writer subtask staged in a
 * checkpoint, what a load completes, what the ledger holds. Positions only ever move forward:
 * {@link #advance} and {@link #merge} keep the later of two positions of a shard.
 *
 * <p>{@link #write}/{@link #read} are the one binary layout, shared by every serializer that
 * carries positions (so a change here is a version bump in each of them): count (int), then per
 * shard stream (UTF), shard id (UTF), sequence number (UTF), sub-sequence number (long), arrival
 * millis (long).
 *
 * <p>Not thread-safe; a mutable accumulator owned by one thread.
 */
public final class SourcePositions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TreeMap<StreamShard, SourcePosition> byShard = new TreeMap<>();

    public SourcePositions() {}

    public SourcePositions(Map<StreamShard, SourcePosition> positions) {
        positions.forEach(this::advance);
    }

    /** No positions. */
    public static SourcePositions none() {
        return new SourcePositions();
    }

    /** Moves the shard's position to {@code position} unless it already is there or later. */
    public void advance(StreamShard shard, SourcePosition position) {
        byShard.merge(
                Objects.requireNonNull(shard, "shard"),
                Objects.requireNonNull(position, "position"),
                SourcePosition::max);
    }

    /** Advances every shard of {@code other}. */
    public void merge(SourcePositions other) {
        other.byShard.forEach(this::advance);
    }

    public SourcePosition get(StreamShard shard) {
        return byShard.get(shard);
    }

    public boolean isEmpty() {
        return byShard.isEmpty();
    }

    public int size() {
        return byShard.size();
    }

    /** Read-only, sorted by stream and shard. */
    public SortedMap<StreamShard, SourcePosition> asMap() {
        return Collections.unmodifiableSortedMap(byShard);
    }

    /** An independent copy. */
    public SourcePositions copy() {
        return new SourcePositions(byShard);
    }

    public void write(DataOutputView out) throws IOException {
        out.writeInt(byShard.size());
        for (Map.Entry<StreamShard, SourcePosition> entry : byShard.entrySet()) {
            out.writeUTF(entry.getKey().stream());
            out.writeUTF(entry.getKey().shardId());
            out.writeUTF(entry.getValue().sequenceNumber());
            out.writeLong(entry.getValue().subSequenceNumber());
            out.writeLong(entry.getValue().arrivalMillis());
        }
    }

    public static SourcePositions read(DataInputView in) throws IOException {
        SourcePositions positions = new SourcePositions();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            StreamShard shard = new StreamShard(in.readUTF(), in.readUTF());
            positions.advance(
                    shard, new SourcePosition(in.readUTF(), in.readLong(), in.readLong()));
        }
        return positions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourcePositions && byShard.equals(((SourcePositions) o).byShard);
    }

    @Override
    public int hashCode() {
        return byShard.hashCode();
    }

    @Override
    public String toString() {
        return byShard.toString();
    }
}
