package dev.sluice.benchmarks;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) fall: the hottest top frames
 * (self time), and the methods that appear anywhere in the most stacks (total time), so both the
 * leaf work (inflating, hashing, parsing) and the caller that asked for it show.
 */
public final class JfrTopFrames {

    private JfrTopFrames() {}

    public static void main(String[] args) throws IOException {
        print(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 25);
    }

    static void print(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    String n = name(frame);
                    if (seen.add(n)) {
                        total.merge(n, 1, Integer::sum);
                    }
                }
                String thread =
                        event.getThread("sampledThread") == null
                                ? "?"
                                : event.getThread("sampledThread").getJavaName();
                threads.merge(
                        thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
            }
        }
        System.out.printf(
                Locale.ROOT, "%n%s: %,d execution samples%n", recording.getFileName(), samples);
        printTop("self (top frame)", self, samples, top);
        printTop(
                "total (anywhere in the stack, Sluice and Flink frames)",
                filter(total),
                samples,
                top);
        printTop("threads", threads, samples, 12);
    }

    private static Map<String, Integer> filter(Map<String, Integer> total) {
        Map<String, Integer> out = new HashMap<>();
        total.forEach(
                (k, v) -> {
                    if (k.startsWith("dev.sluice")
                            || k.startsWith("org.apache.flink.connector.file")
                            || k.startsWith("org.apache.flink.streaming.connectors.kinesis")
                            || k.contains("zip.")
                            || k.contains("jackson")) {
                        out.put(k, v);
                    }
                });
        return out;
    }

    private static void printTop(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("  " + title + ":");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(
                        e ->
                                System.out.printf(
                                        Locale.ROOT,
                                        "    %5.1f%%  %s%n",
                                        100.0 * e.getValue() / samples,
                                        e.getKey()));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
