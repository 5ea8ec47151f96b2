package dev.sluice.sinks.s3.prefix;

import dev.sluice.operators.record.SluiceRecord;

/**
 * Which of a record's times {@code !{timestamp:…}} renders, always in UTC.
 *
 * <p>Both are fixed properties of the record, never the clock: a record replayed after a failure
 * lands in the same directory as on its first attempt.
 */
public enum PrefixTimeSource {
    /** When Kinesis accepted the record: Firehose's behaviour, and the default. */
    ARRIVAL,
    /**
     * The record's event time ({@link SluiceRecord#getEventTimestamp()}): from the payload's
     * event-time field, or the arrival time for a record without one.
     */
    EVENT;

    /** The default, as in Firehose. */
    public static final PrefixTimeSource DEFAULT = ARRIVAL;

    /** Milliseconds since the epoch that place {@code record}. */
    public long timestampOf(SluiceRecord record) {
        return this == EVENT ? record.getEventTimestamp() : record.getApproximateArrivalTimestamp();
    }
}
