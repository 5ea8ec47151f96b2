package dev.sluice.job.config;

import dev.sluice.operators.transform.ExceptionPolicy;
import dev.sluice.operators.transform.SluiceTransform;

/**
 * The transform stage as configured: the chain to run and what an exception in it means.
 *
 * @param transform the configured chain (built-ins and the user's class, in order)
 * @param onException what an exception thrown by a step means
 * @param steps the step names, in order, for logs and tests
 */
public record TransformSettings(
        SluiceTransform transform, ExceptionPolicy onException, java.util.List<String> steps) {}
