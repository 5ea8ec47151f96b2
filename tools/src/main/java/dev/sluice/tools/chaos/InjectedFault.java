package dev.sluice.tools.chaos;

/**
 * One fault as it happened.
 *
 * @param fault what was broken
 * @param startedAtNanos {@link System#nanoTime()} when the process was signalled
 * @param downMillis from the signal until the process (or a new TaskManager) served again
 * @param killedPid the process that was ended
 * @param rowsAtFault the table's rows just before the signal; growth beyond them is delivery going
 *     on after the fault, even when the first load after it takes every row that was left
 * @param detail what a reader of the report needs, e.g. the COPY that was running at the kill
 */
record InjectedFault(
        Fault fault,
        long startedAtNanos,
        long downMillis,
        long killedPid,
        long rowsAtFault,
        String detail) {}
