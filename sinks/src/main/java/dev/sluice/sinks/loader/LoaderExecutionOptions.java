package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.LoadRetryPolicy;

import java.io.Serializable;

/**
 * How the loader operator runs its loads, as flink-connector-jdbc's {@code JdbcExecutionOptions}
 * are to its connection options: how long a failing load is retried ({@link LoadRetryPolicy}) and
 * how much of a backlog one load may merge ({@link MergeLimits}).
 *
 * <p>Each setting is described in {@code docs/configuration.md}.
 */
public final class LoaderExecutionOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LoadRetryPolicy retryPolicy;
    private final MergeLimits mergeLimits;

    private LoaderExecutionOptions(LoadRetryPolicy retryPolicy, MergeLimits mergeLimits) {
        this.retryPolicy = retryPolicy;
        this.mergeLimits = mergeLimits;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@link LoadRetryPolicy#defaults()} and {@link MergeLimits#defaults()}. */
    public static LoaderExecutionOptions defaults() {
        return builder().build();
    }

    public LoadRetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** How much one load may merge when checkpoints are waiting. */
    public MergeLimits mergeLimits() {
        return mergeLimits;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return builder().retryPolicy(retryPolicy).mergeLimits(mergeLimits);
    }

    @Override
    public String toString() {
        return "LoaderExecutionOptions{retryPolicy="
                + retryPolicy
                + ", mergeLimits="
                + mergeLimits
                + '}';
    }

    /** Collects settings with named defaults; {@link #build()} validates them. */
    public static final class Builder {

        private LoadRetryPolicy retryPolicy = LoadRetryPolicy.defaults();
        private MergeLimits mergeLimits = MergeLimits.defaults();

        private Builder() {}

        public Builder retryPolicy(LoadRetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        public Builder mergeLimits(MergeLimits mergeLimits) {
            this.mergeLimits = mergeLimits;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting that is missing
         */
        public LoaderExecutionOptions build() {
            if (retryPolicy == null) {
                throw new IllegalArgumentException("The retry policy must be set");
            }
            if (mergeLimits == null) {
                throw new IllegalArgumentException("The merge limits must be set");
            }
            return new LoaderExecutionOptions(retryPolicy, mergeLimits);
        }
    }
}
