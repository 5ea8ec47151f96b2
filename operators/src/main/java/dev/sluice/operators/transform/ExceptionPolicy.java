package dev.sluice.operators.transform;

/** What an exception thrown by a transform means. */
public enum ExceptionPolicy {
    /** The record becomes a ProcessingFailed with code {@link ErrorCodes#TRANSFORM_EXCEPTION}. */
    PROCESSING_FAILED,
    /**
     * The exception fails the task, and Flink restarts from the last checkpoint. For transforms
     * whose failures are transient (a lookup service down), where an error record would be wrong.
     */
    FAIL_JOB
}
