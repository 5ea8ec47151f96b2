package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of another process and its live descendants, from {@code /proc/<pid>/stat}: user plus
 * system time, and the time of children it has already waited for (PostgreSQL's finished backends).
 * Linux only, which is where the benchmarks run.
 */
final class ProcessCpu {

    /** USER_HZ: the unit of the stat file's times; 100 on every Linux this runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** CPU seconds used so far by the process and its live descendants; 0 once it is gone. */
    static double seconds(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        long ticks = 0;
        for (long p : pids) {
            ticks += ticks(p, p == pid);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static long ticks(long pid, boolean withWaitedChildren) {
        long ticks = ticks(Path.of("/proc", Long.toString(pid), "stat"), withWaitedChildren);
        return Math.max(ticks, 0);
    }

    /**
     * utime + stime from a {@code stat} file, a process's or one thread's ({@code
     * /proc/<pid>/task/<tid>/stat}), plus its waited-for children's if asked; -1 if it is gone.
     */
    static long ticks(Path statFile, boolean withWaitedChildren) {
        String stat;
        try {
            stat = Files.readString(statFile, StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return -1;
        }
        // The command name (field 2) may hold spaces; fields are counted after its ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (withWaitedChildren) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return ticks;
    }

    /** The parent of a process, from its stat file. */
    static long parent(long pid) throws IOException {
        String stat =
                Files.readString(
                        Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }
}
