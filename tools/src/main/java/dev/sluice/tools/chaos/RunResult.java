package dev.sluice.tools.chaos;

import java.util.List;

/**
 * What one chaos run found. {@code lost} counts produced events that are neither a row nor an error
 * record; {@code duplicated} counts rows beyond one per event id; {@code unexpected} counts rows
 * whose id was never produced. A run passes when all three are zero.
 *
 * @param killedPid the process the fault ended; -1 for PostgreSQL, which zonky stops itself
 * @param rowsAtFault the table's rows just before the fault's signal
 * @param recoveredMillis from the fault's signal until the table held more than {@code
 *     rowsAtFault}, looked at once the process was back (and, after a TaskManager kill, once the
 *     job ran again); -1 if it never did
 * @param restarts the job's {@code numRestarts} at the end of the run
 * @param restartCauses the failures Flink's exception history lists for the run's job
 */
record RunResult(
        int run,
        Fault fault,
        String jobId,
        long produced,
        long rows,
        long distinct,
        long errors,
        long lost,
        long duplicated,
        long unexpected,
        long rowsAtFault,
        long killedPid,
        long downMillis,
        long recoveredMillis,
        long restarts,
        List<String> restartCauses,
        String detail,
        long durationMillis) {

    boolean exactlyOnce() {
        return lost == 0 && duplicated == 0 && unexpected == 0;
    }
}
