package dev.sluice.tools.chaos;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.localstack.JobJar;
import dev.sluice.tools.Flags;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The flags of {@code ./sluice chaos}, each with a named default. Faults are rotated over the runs
 * in the order given, so a short suite still exercises each kind; the seed decides only the moments
 * of the faults and the events, and is printed so that a run can be repeated.
 */
public record ChaosOptions(
        int runs,
        int records,
        long seed,
        List<Fault> faults,
        int rate,
        int shards,
        int parallelism,
        long checkpointIntervalMs,
        int timeoutSeconds,
        Path jobJar,
        Path workDir,
        Path resultsDir) {

    public static final int DEFAULT_RUNS = 5;
    public static final int DEFAULT_RECORDS = 50_000;

    /** Records/s the producer puts: slow enough that a fault lands while events still arrive. */
    public static final int DEFAULT_RATE = 5_000;

    public static final int DEFAULT_SHARDS = 4;
    public static final int DEFAULT_PARALLELISM = 2;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 2_000L;

    /** Per run, from submission until every event is accounted. */
    public static final int DEFAULT_TIMEOUT_S = 300;

    public static final List<Fault> DEFAULT_FAULTS = List.of(Fault.values());
    public static final Path DEFAULT_WORK_DIR = Path.of(".sluice", "chaos");
    public static final Path DEFAULT_RESULTS_DIR = Path.of("benchmarks", "results");
    public static final Path DEFAULT_JOB_TARGET = Path.of("job", "target");

    public static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./sluice chaos [--runs 5] [--records 50000] [--seed N]",
                    "                      [--faults taskmanager,taskmanager-during-copy,s3proxy,postgres,kinesis]",
                    "                      [--rate 5000] [--shards 4] [--parallelism 2]",
                    "                      [--checkpoint-interval-ms 2000] [--timeout-s 300]",
                    "                      [--job-jar job/target/sluice-job-*.jar] [--work-dir .sluice/chaos]",
                    "                      [--results benchmarks/results]");

    public ChaosOptions {
        Objects.requireNonNull(faults, "faults");
        positive("--runs", runs);
        positive("--records", records);
        positive("--rate", rate);
        positive("--shards", shards);
        positive("--parallelism", parallelism);
        positive("--checkpoint-interval-ms", checkpointIntervalMs);
        positive("--timeout-s", timeoutSeconds);
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("--faults names no fault");
        }
        try {
            CheckpointInterval.secondsOf(checkpointIntervalMs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--checkpoint-interval-ms: " + e.getMessage());
        }
    }

    /** The fault of run {@code run} (1-based): the list, rotated. */
    public Fault faultOf(int run) {
        return faults.get((run - 1) % faults.size());
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException with a one-line message for an unknown flag or a bad value
     */
    public static ChaosOptions parse(String[] args) {
        Flags flags =
                Flags.read(
                        args,
                        List.of(
                                "--runs",
                                "--records",
                                "--seed",
                                "--faults",
                                "--rate",
                                "--shards",
                                "--parallelism",
                                "--checkpoint-interval-ms",
                                "--timeout-s",
                                "--job-jar",
                                "--work-dir",
                                "--results"));
        int runs = flags.value("--runs", DEFAULT_RUNS, ChaosOptions::number);
        int records = flags.value("--records", DEFAULT_RECORDS, ChaosOptions::number);
        long seed = flags.value("--seed", System.currentTimeMillis(), ChaosOptions::longNumber);
        List<Fault> faults = flags.value("--faults", DEFAULT_FAULTS, (f, v) -> faults(v));
        int rate = flags.value("--rate", DEFAULT_RATE, ChaosOptions::number);
        int shards = flags.value("--shards", DEFAULT_SHARDS, ChaosOptions::number);
        int parallelism = flags.value("--parallelism", DEFAULT_PARALLELISM, ChaosOptions::number);
        long checkpointMs =
                flags.value(
                        "--checkpoint-interval-ms",
                        DEFAULT_CHECKPOINT_INTERVAL_MS,
                        ChaosOptions::longNumber);
        int timeout = flags.value("--timeout-s", DEFAULT_TIMEOUT_S, ChaosOptions::number);
        Path jobJar = flags.value("--job-jar", null, (f, v) -> Path.of(v));
        Path workDir = flags.value("--work-dir", DEFAULT_WORK_DIR, (f, v) -> Path.of(v));
        Path results = flags.value("--results", DEFAULT_RESULTS_DIR, (f, v) -> Path.of(v));
        return new ChaosOptions(
                runs,
                records,
                seed,
                faults,
                rate,
                shards,
                parallelism,
                checkpointMs,
                timeout,
                jobJar != null ? jobJar : JobJar.find(DEFAULT_JOB_TARGET),
                workDir,
                results);
    }

    private static List<Fault> faults(String value) {
        List<Fault> faults = new ArrayList<>();
        Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(label -> faults.add(Fault.of(label)));
        return List.copyOf(faults);
    }

    private static int number(String flag, String value) {
        return Math.toIntExact(longNumber(flag, value));
    }

    private static long longNumber(String flag, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, not '" + value + "'");
        }
    }

    private static void positive(String flag, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be positive, not " + value);
        }
    }
}
