package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives the Kinesis emulator a CPU of its own ({@code --pin-source}): CPU 0 for it, the other CPUs
 * for everything else (the contender's JVM, S3Proxy, PostgreSQL and this benchmark).
 *
 * <p>In production the job shares no CPU with Kinesis. On a small machine kinesalite's one Node.js
 * thread needs about a core at the bare reader's rate, and a contender that spends more CPU takes
 * it from the emulator and so slows its own source: the ratio then measures the machine, not the
 * job. Pinned, each side has what it has, the same for every contender.
 *
 * <p>A JVM pinned to one CPU sees one processor and sizes itself for it (the serial collector,
 * fewer compiler threads), so on a 2-CPU machine the pinned contenders are not quite the JVMs of an
 * unpinned run; docs/benchmarks.md says what the pinned runs showed.
 *
 * <p>Pins with {@code taskset -a -p}, every thread of the process and of its descendants at the
 * time of the call; threads and processes started later inherit their creator's CPUs.
 */
final class CpuPinning {

    private final String sourceCpus;
    private final String otherCpus;

    private CpuPinning(String sourceCpus, String otherCpus) {
        this.sourceCpus = sourceCpus;
        this.otherCpus = otherCpus;
    }

    /**
     * @throws IllegalStateException on a machine with a single CPU
     */
    static CpuPinning sourceApart() {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) {
            throw new IllegalStateException("--pin-source needs at least 2 CPUs, found " + cpus);
        }
        return new CpuPinning("0", cpus == 2 ? "1" : "1-" + (cpus - 1));
    }

    String sourceCpus() {
        return sourceCpus;
    }

    String otherCpus() {
        return otherCpus;
    }

    void pinSource(long pid) throws IOException, InterruptedException {
        pin(pid, sourceCpus);
    }

    void pinOther(long pid) throws IOException, InterruptedException {
        pin(pid, otherCpus);
    }

    private static void pin(long pid, String cpus) throws IOException, InterruptedException {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            Process taskset =
                    new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(p))
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
                throw new IllegalStateException(
                        "taskset -a -p -c " + cpus + " " + p + " failed: " + output.trim());
            }
        }
    }
}
