package dev.sluice.operators.source.position;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Where a record sits in its shard: its Kinesis sequence number, its {@linkplain
 * dev.sluice.operators.record.SluiceRecord#getSubSequenceNumber() sub-sequence number} among the
 * user records of one KPL-aggregated record, and its approximate arrival time.
 *
 * <p>Positions order by sequence number, then sub-sequence number; the arrival time does not take
 * part. Sequence numbers are decimal strings of up to 129 digits (Kinesis API Reference, {@code
 * Record.SequenceNumber}: pattern {@code 0|([1-9]\d{0,128})}), far beyond a {@code long}, so they
 * compare as {@link BigInteger}s: as strings, {@code "9"} would sort after {@code "10"}.
 *
 * @param sequenceNumber the Kinesis sequence number, a decimal string
 * @param subSequenceNumber 0 for a plain record, the user record's index within an aggregated one
 * @param arrivalMillis the record's approximate arrival time, epoch millis
 */
public record SourcePosition(String sequenceNumber, long subSequenceNumber, long arrivalMillis)
        implements Serializable, Comparable<SourcePosition> {

    public SourcePosition {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        if (sequenceNumber.isEmpty()
                || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                    "A Kinesis sequence number is a decimal number, not '" + sequenceNumber + "'");
        }
        if (subSequenceNumber < 0) {
            throw new IllegalArgumentException(
                    "A sub-sequence number is 0 or more: " + subSequenceNumber);
        }
    }

    /** Compares sequence numbers as numbers. */
    public static int compareSequenceNumbers(String a, String b) {
        return new BigInteger(a).compareTo(new BigInteger(b));
    }

    @Override
    public int compareTo(SourcePosition other) {
        int bySequence = compareSequenceNumbers(sequenceNumber, other.sequenceNumber);
        return bySequence != 0
                ? bySequence
                : Long.compare(subSequenceNumber, other.subSequenceNumber);
    }

    /**
     * Whether a record at {@code sequenceNumber}/{@code subSequenceNumber} is at or before this.
     */
    public boolean covers(String sequenceNumber, long subSequenceNumber) {
        int bySequence = compareSequenceNumbers(sequenceNumber, this.sequenceNumber);
        return bySequence < 0 || (bySequence == 0 && subSequenceNumber <= this.subSequenceNumber);
    }

    /** The later of two positions; {@code this} when they are equal. */
    public SourcePosition max(SourcePosition other) {
        return other == null || compareTo(other) >= 0 ? this : other;
    }

    @Override
    public String toString() {
        return subSequenceNumber == 0
                ? sequenceNumber
                : sequenceNumber + " (user record " + subSequenceNumber + ")";
    }
}
