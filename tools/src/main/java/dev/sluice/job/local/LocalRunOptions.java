package dev.sluice.job.local;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.tools.Flags;

import java.nio.file.Path;
import java.util.List;

/** Flags of {@code ./sluice local}, with their defaults. */
record LocalRunOptions(
        int records,
        Path input,
        int shards,
        int parallelism,
        long checkpointIntervalMs,
        long timeoutSeconds,
        Path workDir) {

    static final int DEFAULT_SHARDS = 4;
    static final int DEFAULT_PARALLELISM = 2;
    static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 2_000L;
    static final long DEFAULT_TIMEOUT_SECONDS = 600L;
    static final Path DEFAULT_WORK_DIR = Path.of(".sluice", "local");

    static final String USAGE =
            "usage: ./sluice local (--records N | --input FILE) [--shards "
                    + DEFAULT_SHARDS
                    + "] [--parallelism "
                    + DEFAULT_PARALLELISM
                    + "] [--checkpoint-interval-ms "
                    + DEFAULT_CHECKPOINT_INTERVAL_MS
                    + "] [--timeout-s "
                    + DEFAULT_TIMEOUT_SECONDS
                    + "] [--work-dir "
                    + DEFAULT_WORK_DIR
                    + "]";

    static LocalRunOptions parse(String[] args) {
        Flags flags =
                Flags.read(
                        args,
                        List.of(
                                "--records",
                                "--input",
                                "--shards",
                                "--parallelism",
                                "--checkpoint-interval-ms",
                                "--timeout-s",
                                "--work-dir"));
        Integer records = flags.value("--records", null, (f, v) -> positiveInt(f, v, 10_000_000));
        Path input = flags.value("--input", null, (f, v) -> Path.of(v));
        int shards = flags.value("--shards", DEFAULT_SHARDS, (f, v) -> positiveInt(f, v, 64));
        int parallelism =
                flags.value("--parallelism", DEFAULT_PARALLELISM, (f, v) -> positiveInt(f, v, 32));
        long checkpointIntervalMs =
                flags.value(
                        "--checkpoint-interval-ms",
                        DEFAULT_CHECKPOINT_INTERVAL_MS,
                        (f, v) -> (long) positiveInt(f, v, 900_000));
        long timeoutSeconds =
                flags.value(
                        "--timeout-s",
                        DEFAULT_TIMEOUT_SECONDS,
                        (f, v) -> (long) positiveInt(f, v, 86_400));
        Path workDir = flags.value("--work-dir", DEFAULT_WORK_DIR, (f, v) -> Path.of(v));
        if (records == null && input == null) {
            throw new IllegalArgumentException("--records N or --input FILE is required");
        }
        if (records != null && input != null) {
            throw new IllegalArgumentException("give --records N or --input FILE, not both");
        }
        if (input != null && !java.nio.file.Files.isRegularFile(input)) {
            throw new IllegalArgumentException("--input " + input + " is not a readable file");
        }
        try {
            CheckpointInterval.secondsOf(checkpointIntervalMs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--checkpoint-interval-ms: " + e.getMessage());
        }
        return new LocalRunOptions(
                records == null ? 0 : records,
                input,
                shards,
                parallelism,
                checkpointIntervalMs,
                timeoutSeconds,
                workDir);
    }

    private static int positiveInt(String flag, String value, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + value + "'");
        }
        if (n < 1 || n > max) {
            throw new IllegalArgumentException(
                    flag + " must be between 1 and " + max + ", got " + n);
        }
        return n;
    }
}
