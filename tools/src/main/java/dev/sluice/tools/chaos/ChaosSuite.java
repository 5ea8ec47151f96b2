package dev.sluice.tools.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Starts the {@link ChaosStack} once and runs {@link ChaosOptions#runs()} {@link ChaosRun}s on it,
 * one fault each, rotating through {@link ChaosOptions#faults()}. One {@link Random} seeded with
 * {@link ChaosOptions#seed()} draws every moment and every event, so the same seed repeats the same
 * suite (timing on a shared machine aside).
 */
public final class ChaosSuite {

    private final ChaosOptions options;
    private final Consumer<String> say;

    public ChaosSuite(ChaosOptions options, Consumer<String> say) {
        this.options = options;
        this.say = say;
    }

    /** Runs every run; a run that throws ends the suite, with the runs before it kept. */
    public Outcome run() throws Exception {
        Path workDir = options.workDir().toAbsolutePath();
        say.accept("seed " + options.seed() + " (repeat with --seed " + options.seed() + ")");
        say.accept("starting PostgreSQL, S3Proxy, kinesalite and a Flink cluster in " + workDir);
        long startedAt = System.nanoTime();
        List<RunResult> results = new ArrayList<>();
        Random random = new Random(options.seed());
        try (ChaosStack stack = ChaosStack.start(workDir, options.jobJar(), 4)) {
            say.accept(
                    String.format(
                            "stack up after %d ms; cluster %s",
                            FaultInjector.millisSince(startedAt), stack.cluster.restUrl()));
            ChaosRun chaos = new ChaosRun(stack, options, workDir, say);
            for (int run = 1; run <= options.runs(); run++) {
                RunResult result;
                try {
                    result = chaos.execute(run, options.faultOf(run), random);
                } catch (Exception | AssertionError e) {
                    say.accept("run " + run + " failed: " + e.getMessage());
                    say.accept("cluster logs: " + stack.cluster.logDirectory());
                    return new Outcome(results, "run " + run + ": " + e.getMessage());
                }
                results.add(result);
                say.accept(
                        String.format(
                                "run %d: %s — produced %d, rows %d, errors %d, lost %d,"
                                        + " duplicated %d, restarts %d, recovered in %d ms (%d s)",
                                run,
                                result.fault().label(),
                                result.produced(),
                                result.rows(),
                                result.errors(),
                                result.lost(),
                                result.duplicated(),
                                result.restarts(),
                                result.recoveredMillis(),
                                result.durationMillis() / 1000));
            }
        }
        return new Outcome(results, null);
    }

    /** The runs that completed, and why the suite stopped early ({@code null} if it did not). */
    public record Outcome(List<RunResult> runs, String failure) {

        /** Every planned run completed and none lost, duplicated or invented a row. */
        public boolean passed(int plannedRuns) {
            return failure == null
                    && runs.size() == plannedRuns
                    && runs.stream().allMatch(RunResult::exactlyOnce);
        }
    }
}
