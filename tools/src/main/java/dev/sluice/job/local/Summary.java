package dev.sluice.job.local;

/**
 * The local run's last line, and whether every produced record is accounted for: each one is
 * loaded, in an error file, or dropped by the transform, so {@code loaded + errors + dropped =
 * produced}. A record in a load that gave up ({@code errors/load-failed/}) is none of these, and a
 * record loaded twice is counted twice: either makes the sum disagree. ({@code distinct} counts
 * distinct {@code event_id}s, which input of the user's own need not have, so it is printed but not
 * part of the check.)
 *
 * @param dropped the transform's {@code TransformDroppedRecords}, or -1 when it could not be read
 */
record Summary(long produced, long loaded, long distinct, long errors, long dropped) {

    boolean accountsForEveryRecord() {
        return dropped >= 0 && loaded + errors + dropped == produced;
    }

    String line() {
        return String.format(
                "SLUICE SUMMARY produced=%d loaded=%d distinct=%d errors=%d dropped=%d"
                        + " accounted=%s",
                produced,
                loaded,
                distinct,
                errors,
                dropped,
                accountsForEveryRecord() ? "yes" : "no");
    }
}
