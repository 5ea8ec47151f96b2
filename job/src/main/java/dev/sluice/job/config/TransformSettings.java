package dev.sluice.job.config;

import dev.sluice.operators.transform.ExceptionPolicy;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.keyed.StageKey;

/**
 * The transform stage as configured: the chain to run and what an exception in it means.
 *
 * @param transform the configured chain (built-ins and the user's class, in order)
 * @param onException what an exception thrown by a step means
 * @param steps the step names, in order, for logs and tests
 * @param key the key of a keyed stage (the chain has {@code dedup} or a keyed user class), or null:
 *     then the stage runs where the source runs, with no {@code keyBy}
 */
public record TransformSettings(
        SluiceTransform transform,
        ExceptionPolicy onException,
        java.util.List<String> steps,
        StageKey key) {

    /** Whether the stage is keyed, and so needs a {@code keyBy} before it. */
    public boolean keyed() {
        return key != null;
    }
}
