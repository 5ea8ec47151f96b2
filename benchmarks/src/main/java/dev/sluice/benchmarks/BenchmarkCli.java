package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every {@code ./sluice benchmark …} command does the same way: flags, progress, clean-up. */
final class BenchmarkCli {

    private BenchmarkCli() {}

    static int intFlag(String[] args, String name, int defaultValue) {
        String value = stringFlag(args, name, null);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    static String stringFlag(String[] args, String name, String defaultValue) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }

    static void say(String line) {
        System.out.println("[bench] " + line);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
