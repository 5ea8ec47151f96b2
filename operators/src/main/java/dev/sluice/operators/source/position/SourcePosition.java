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
        // A loop, not chars().allMatch: a position is made for every record, and the stream
        // pipeline was 5 % of the job's CPU in a profile.
        if (!isDigits(sequenceNumber)) {
            throw new IllegalArgumentException(
                    "A Kinesis sequence number is a decimal number, not '" + sequenceNumber + "'");
        }
        if (subSequenceNumber < 0) {
            throw new IllegalArgumentException(
                    "A sub-sequence number is 0 or more: " + subSequenceNumber);
        }
    }

    /**
     * Compares sequence numbers as numbers. Kinesis writes them as decimal digits (up to 128 of
     * them); those are compared as text, by significant length and then digit by digit, since the
     * position filter compares every record and two {@link BigInteger}s per record were a visible
     * share of the job's allocation. Anything else is compared as {@link BigInteger} does.
     */
    public static int compareSequenceNumbers(String a, String b) {
        if (!isDigits(a) || !isDigits(b)) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        return compareDigits(a, b);
    }

    /** {@link #compareSequenceNumbers} for two strings known to be all digits. */
    private static int compareDigits(String a, String b) {
        int fromA = firstSignificant(a);
        int fromB = firstSignificant(b);
        int byLength = Integer.compare(a.length() - fromA, b.length() - fromB);
        if (byLength != 0) {
            return byLength;
        }
        for (int i = fromA, j = fromB; i < a.length(); i++, j++) {
            int byDigit = Character.compare(a.charAt(i), b.charAt(j));
            if (byDigit != 0) {
                return Integer.signum(byDigit);
            }
        }
        return 0;
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int firstSignificant(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return i;
    }

    @Override
    public int compareTo(SourcePosition other) {
        // Both were checked to be digits when they were made.
        int bySequence = compareDigits(sequenceNumber, other.sequenceNumber);
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
