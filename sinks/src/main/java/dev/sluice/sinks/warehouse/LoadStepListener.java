package dev.sluice.sinks.warehouse;

/**
 * Told by {@link WarehouseLoader#load(LoadMetadata, java.util.List, LoadStepListener)} as each
 * {@link LoadStep} begins. The job passes {@link #NONE}; {@code ./sluice check
 * --warehouse-selftest} passes one that prints a line per step, so that the self-test runs the very
 * code the job runs and can still name the step the warehouse refused.
 *
 * <p>When a load throws, the step last reported is the one that failed.
 */
@FunctionalInterface
public interface LoadStepListener {

    LoadStepListener NONE = step -> {};

    void reached(LoadStep step);
}
