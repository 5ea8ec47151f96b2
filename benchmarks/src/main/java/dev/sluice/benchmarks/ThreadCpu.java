package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of another JVM's threads by name, from {@code /proc/<pid>/task/<tid>/stat} and {@code
 * comm}: which part of a contender (the Kinesis shard consumers, the staging writer, the warehouse
 * loader, garbage collection, the JIT compiler) used the CPU that {@link ProcessCpu} counts as one
 * figure.
 *
 * <p>Names are grouped with their digits folded to {@code #} ({@code C2 CompilerThread0} and {@code
 * C2 CompilerThread1} are {@code C# CompilerThre}: the kernel keeps 15 characters of a name).
 *
 * <p>Why the JIT compiler matters here: a contender's JVM lives for well under a minute, and
 * HotSpot compiles hot code for most of that time. In the first runs that measured it, the compiler
 * threads used about a third of Sluice's JVM CPU inside the steady window, a one-off cost of a
 * young JVM rather than a cost per record of a job that runs for days, so the benchmark reports it
 * apart.
 *
 * <p>Threads come and go (HotSpot stops idle compiler threads; Flink ends a task's threads with
 * it), and a thread's time leaves {@code /proc} with it. Each thread's last seen time is therefore
 * kept, so {@link #sample} should be called often (the benchmark calls it about once a second,
 * reading a few hundred small files): a thread that exits loses only what it used since its last
 * sample.
 */
final class ThreadCpu {

    private final long pid;

    /** Thread id → its name with digits folded; names do not change. */
    private final Map<Long, String> groups = new HashMap<>();

    /** Thread id → its CPU ticks when last seen. */
    private final Map<Long, Long> lastTicks = new HashMap<>();

    ThreadCpu(long pid) {
        this.pid = pid;
    }

    /** Reads the time of every live thread; returns the seconds by group ({@link #byGroup}). */
    Map<String, Double> sample() {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                long tid = Long.parseLong(thread.getFileName().toString());
                long ticks = ProcessCpu.ticks(thread.resolve("stat"), false);
                if (ticks >= 0 && groups.computeIfAbsent(tid, t -> group(thread)) != null) {
                    lastTicks.merge(tid, ticks, Math::max);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // The JVM has exited: keep what was seen.
        }
        return byGroup();
    }

    /** CPU seconds by thread group, as last sampled. */
    Map<String, Double> byGroup() {
        Map<String, Double> seconds = new TreeMap<>();
        lastTicks.forEach(
                (tid, ticks) ->
                        seconds.merge(
                                groups.get(tid), ticks / ProcessCpu.TICKS_PER_SECOND, Double::sum));
        return seconds;
    }

    /** Whether a group is HotSpot's JIT compiler (C1 or C2 compiler threads). */
    static boolean isCompiler(String group) {
        return group.startsWith("C# CompilerThre");
    }

    /** The per-group difference {@code to - from}, for a window between two samples. */
    static Map<String, Double> delta(Map<String, Double> from, Map<String, Double> to) {
        Map<String, Double> delta = new TreeMap<>();
        to.forEach((group, s) -> delta.put(group, s - from.getOrDefault(group, 0.0)));
        return delta;
    }

    /** The compiler groups' total in a map of {@link #byGroup} or {@link #delta}. */
    static double compilerSeconds(Map<String, Double> byGroup) {
        double s = 0;
        for (Map.Entry<String, Double> e : byGroup.entrySet()) {
            if (isCompiler(e.getKey())) {
                s += e.getValue();
            }
        }
        return s;
    }

    /** The name in {@code comm} with digits folded, or null if the thread is gone. */
    private static String group(Path thread) {
        try {
            String name = Files.readString(thread.resolve("comm"), StandardCharsets.US_ASCII);
            return name.strip().replaceAll("[0-9]+", "#");
        } catch (IOException gone) {
            return null;
        }
    }
}
