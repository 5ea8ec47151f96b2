package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

/**
 * How a {@link RetryingLoader#load} call ended.
 *
 * @param result what the last, successful attempt did; null when the load gave up
 * @param failure the error document of a load that gave up; null otherwise
 * @param failedManifestPath where the manifest of a load that gave up was written
 * @param attempts how many attempts were made
 */
public record LoadOutcome(
        @Nullable LoadResult result,
        @Nullable FailedLoad failure,
        @Nullable String failedManifestPath,
        int attempts) {

    /** True when the rows are in the table (or were already). */
    public boolean delivered() {
        return result != null;
    }

    static LoadOutcome delivered(LoadResult result, int attempts) {
        return new LoadOutcome(result, null, null, attempts);
    }

    static LoadOutcome gaveUp(FailedLoad failure, String manifestPath) {
        return new LoadOutcome(null, failure, manifestPath, failure.attempts());
    }
}
