package dev.sluice.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a main class (the job) in this JVM and watches its heap, for {@code ./sluice benchmark
 * memory}: {@code MemoryProbe <stats-file> <main-class> <args…>}.
 *
 * <p>Every 250 ms it writes to the stats file (as {@code key=value} lines, replaced atomically):
 * the peak heap in use (sampled), the most heap left after any collection, the garbage collections'
 * count and time (from {@code GarbageCollectorMXBean} notifications, without the probe's own
 * collections), and the live heap: while a file {@code <stats-file>.gc} exists, the probe forces a
 * full collection ({@code System.gc()}) every two seconds and keeps the largest heap in use after
 * one, as the collection's notification reports it. That is the live set at those moments, which a
 * heap-after-young-collection figure overstates (it still holds dead objects promoted earlier).
 * Whenever a forced collection leaves more live heap than any before, it also writes the heap's
 * largest classes to {@code <stats-file>.histo} (the histogram's own full collection counts as
 * forced too).
 */
public final class MemoryProbe {

    private static final String EXPLICIT = "System.gc()";
    private static final String HISTOGRAM = "Heap Inspection Initiated GC";
    private static final int HISTOGRAM_LINES = 60;

    private static volatile long peakUsed;
    private static volatile long maxAfterGc;
    private static volatile long maxLiveAfterExplicitGc;
    private static volatile long gcCount;
    private static volatile long gcMillis;
    private static volatile long explicitGcCount;
    private static volatile long explicitGcMillis;
    private static volatile boolean newMaxLive;

    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        Path stats = Path.of(args[0]);
        Path trigger = Path.of(args[0] + ".gc");
        Path histogram = Path.of(args[0] + ".histo");
        String mainClass = args[1];
        String[] mainArgs = Arrays.copyOfRange(args, 2, args.length);

        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc)
                    .addNotificationListener(
                            (notification, handback) -> {
                                if (!notification
                                        .getType()
                                        .equals(
                                                GarbageCollectionNotificationInfo
                                                        .GARBAGE_COLLECTION_NOTIFICATION)) {
                                    return;
                                }
                                GarbageCollectionNotificationInfo info =
                                        GarbageCollectionNotificationInfo.from(
                                                (CompositeData) notification.getUserData());
                                onGc(info, heapPools);
                            },
                            null,
                            null);
        }

        Thread watcher =
                new Thread(
                        () -> {
                            long lastForced = 0;
                            while (true) {
                                try {
                                    MemoryUsage heap =
                                            ManagementFactory.getMemoryMXBean()
                                                    .getHeapMemoryUsage();
                                    peakUsed = Math.max(peakUsed, heap.getUsed());
                                    long now = System.currentTimeMillis();
                                    if (Files.exists(trigger) && now - lastForced >= 2_000) {
                                        System.gc();
                                        lastForced = now;
                                    }
                                    if (newMaxLive) {
                                        newMaxLive = false;
                                        histogram(histogram);
                                    }
                                    write(stats, heap.getMax());
                                    Thread.sleep(250);
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    e.printStackTrace();
                                }
                            }
                        },
                        "sluice-memory-probe");
        watcher.setDaemon(true);
        watcher.start();

        Method main = Class.forName(mainClass).getMethod("main", String[].class);
        main.invoke(null, (Object) mainArgs);
    }

    private static synchronized void onGc(
            GarbageCollectionNotificationInfo info, Set<String> heapPools) {
        long after = 0;
        for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                after += e.getValue().getUsed();
            }
        }
        maxAfterGc = Math.max(maxAfterGc, after);
        long millis = info.getGcInfo().getDuration();
        if (EXPLICIT.equals(info.getGcCause()) || HISTOGRAM.equals(info.getGcCause())) {
            explicitGcCount++;
            explicitGcMillis += millis;
            // The collector's own figure: heap in use read after System.gc() returns also counts
            // what the job allocated until this thread ran again, tens of MiB on a loaded machine.
            if (EXPLICIT.equals(info.getGcCause()) && after > maxLiveAfterExplicitGc) {
                maxLiveAfterExplicitGc = after;
                newMaxLive = true;
            }
        } else {
            gcCount++;
            gcMillis += millis;
        }
    }

    /**
     * Writes the heap's largest classes (the {@code GC.class_histogram} diagnostic command, which
     * counts live objects after a full collection of its own) when the live heap reaches a new
     * maximum: what fills the heap at its fullest, e.g. the byte arrays of Parquet's buffers.
     */
    private static void histogram(Path file) throws Exception {
        String text =
                (String)
                        ManagementFactory.getPlatformMBeanServer()
                                .invoke(
                                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                        "gcClassHistogram",
                                        new Object[] {new String[0]},
                                        new String[] {String[].class.getName()});
        String[] lines = text.split("\n");
        String head =
                String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, HISTOGRAM_LINES)))
                        + "\n"
                        + lines[lines.length - 1]
                        + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, head, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path stats, long maxHeap) throws Exception {
        String text =
                String.format(
                        Locale.ROOT,
                        "heap_max_bytes=%d%npeak_heap_used_bytes=%d%nmax_heap_after_gc_bytes=%d%n"
                                + "max_live_heap_bytes=%d%ngc_count=%d%ngc_time_ms=%d%n"
                                + "forced_gc_count=%d%nforced_gc_time_ms=%d%n",
                        maxHeap,
                        peakUsed,
                        maxAfterGc,
                        maxLiveAfterExplicitGc,
                        gcCount,
                        gcMillis,
                        explicitGcCount,
                        explicitGcMillis);
        Path tmp = stats.resolveSibling(stats.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, stats, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
