package dev.sluice.operators.time;

/** How the event-time field is written in the payload. */
public enum EventTimeFormat {
    /**
     * ISO-8601 strings, or numbers: below 10^11 read as epoch seconds (10^11 s is the year 5138),
     * otherwise as epoch milliseconds (10^11 ms is 1973). Numeric strings are numbers.
     */
    AUTO,
    /** {@code 2024-05-01T12:00:00Z}, with an offset, or without one (then UTC). */
    ISO_8601,
    EPOCH_MILLIS,
    /** Whole or fractional seconds. */
    EPOCH_SECONDS
}
