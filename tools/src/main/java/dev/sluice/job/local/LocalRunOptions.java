package dev.sluice.job.local;

import dev.sluice.job.config.CheckpointInterval;

import java.nio.file.Path;

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
        Integer records = null;
        Path input = null;
        int shards = DEFAULT_SHARDS;
        int parallelism = DEFAULT_PARALLELISM;
        long checkpointIntervalMs = DEFAULT_CHECKPOINT_INTERVAL_MS;
        long timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        Path workDir = DEFAULT_WORK_DIR;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--records":
                    records = positiveInt(flag, value, 10_000_000);
                    break;
                case "--input":
                    input = Path.of(value);
                    break;
                case "--shards":
                    shards = positiveInt(flag, value, 64);
                    break;
                case "--parallelism":
                    parallelism = positiveInt(flag, value, 32);
                    break;
                case "--checkpoint-interval-ms":
                    checkpointIntervalMs = positiveInt(flag, value, 900_000);
                    break;
                case "--timeout-s":
                    timeoutSeconds = positiveInt(flag, value, 86_400);
                    break;
                case "--work-dir":
                    workDir = Path.of(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
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
