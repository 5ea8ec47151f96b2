package dev.sluice.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a measured result must say about the machine it came from, read from {@code /proc}: the CPU
 * model, the memory and the 1-minute load average. The benchmarks' and the chaos suite's reports
 * print these next to every figure, since on a shared machine the load explains much of it.
 */
public final class MachineInfo {

    private MachineInfo() {}

    /** The 1-minute load average now, as {@code /proc/loadavg} says; "unknown" off Linux. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}; "unknown" off Linux. */
    public static String cpuModel() {
        return procField("/proc/cpuinfo", "model name");
    }

    /** {@code MemTotal} as "23.5 GiB"; "unknown" off Linux. */
    public static String memory() {
        String total = procField("/proc/meminfo", "MemTotal");
        if (total.equals("unknown")) {
            return total;
        }
        long kb = Long.parseLong(total.replaceAll("[^0-9]", ""));
        return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
    }

    private static String procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return "unknown";
    }
}
