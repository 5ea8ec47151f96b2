package dev.sluice.operators.transform;

/** What happens to a record whose event time is already behind the watermark. */
public enum LateRecordPolicy {
    /** Deliver it like any other record (counted as late). Nothing downstream drops late data. */
    DELIVER,
    /** Write it to {@code errors/late/} with code {@link ErrorCodes#LATE_RECORD} instead. */
    ERRORS
}
