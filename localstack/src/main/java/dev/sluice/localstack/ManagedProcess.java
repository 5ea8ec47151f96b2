package dev.sluice.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An external server process (S3Proxy, a Kinesis emulator) owned by this JVM.
 *
 * <p>Why a class of its own: these servers are started by tests that run next to other people's
 * processes on the same machine, so they must be ended precisely, never by name. This class
 *
 * <ul>
 *   <li>writes the process's stdout and stderr to {@code <logDirectory>/<name>.log}, so a failing
 *       start is diagnosable and a chatty server cannot block on a full pipe;
 *   <li>considers the process started once a TCP connection to 127.0.0.1:{@code port} succeeds,
 *       failing fast (with the log's tail) if the process exits or the timeout passes first;
 *   <li>on {@link #close()} ends exactly this process and the descendants it spawned, by PID:
 *       SIGTERM, a grace period, then SIGKILL. Descendants are collected <em>before</em> the parent
 *       is signalled, since an orphan is re-parented and no longer found as a descendant;
 *   <li>registers a JVM shutdown hook doing the same, so an interrupted test run (Ctrl-C, surefire
 *       timeout) does not leave servers behind. A {@code kill -9} of the JVM cannot be covered.
 * </ul>
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);

    private static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final int port;
    private final Duration gracePeriod;
    private final Thread shutdownHook;
    private boolean closed;

    private ManagedProcess(
            String name, Process process, Path logFile, int port, Duration gracePeriod) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.port = port;
        this.gracePeriod = gracePeriod;
        this.shutdownHook = new Thread(this::terminate, "sluice-localstack-stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts describing a process; {@code name} names its log file and appears in messages. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The port on 127.0.0.1 that the process was waited for. */
    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The PIDs of the processes this one has spawned that are still running. */
    public List<Long> descendantPids() {
        return process.descendants().map(ProcessHandle::pid).collect(Collectors.toList());
    }

    /** The last lines of the process's log, for error messages. */
    public String logTail() {
        return tail(logFile, LOG_TAIL_LINES);
    }

    /** Ends the process and its descendants; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        terminate();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook runs anyway and finds nothing left to do.
        }
    }

    /**
     * Ends the process and its descendants at once with SIGKILL ({@code kill -9}), as a crash or
     * the kernel's OOM killer would: no shutdown hooks, nothing flushed. For failure tests; a later
     * {@link #close()} finds nothing left to do.
     *
     * @throws IllegalStateException if the process still runs {@code timeout} after the signal
     */
    public synchronized void kill(Duration timeout) {
        List<ProcessHandle> handles = new ArrayList<>();
        process.descendants().forEach(handles::add);
        handles.add(process.toHandle());
        handles.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(handles, timeout)) {
            throw new IllegalStateException(
                    name + " (pid " + process.pid() + ") outlived SIGKILL by " + timeout);
        }
        LOG.info("{} (pid {}) killed with SIGKILL", name, process.pid());
    }

    private void terminate() {
        List<ProcessHandle> handles = new ArrayList<>();
        process.descendants().forEach(handles::add);
        handles.add(process.toHandle());
        if (handles.stream().noneMatch(this::runs)) {
            return;
        }
        long stoppingAt = System.nanoTime();
        handles.forEach(ProcessHandle::destroy);
        if (!awaitExit(handles, gracePeriod)) {
            for (ProcessHandle handle : handles) {
                if (runs(handle)) {
                    LOG.warn(
                            "{} (pid {}) ignored SIGTERM for {}, killing it",
                            name,
                            handle.pid(),
                            gracePeriod);
                    handle.destroyForcibly();
                }
            }
            if (!awaitExit(handles, gracePeriod)) {
                handles.stream()
                        .filter(this::runs)
                        .forEach(
                                h ->
                                        LOG.warn(
                                                "{} (pid {}) is still alive after SIGKILL",
                                                name,
                                                h.pid()));
            }
        }
        LOG.debug(
                "{} (pid {}) stopped in {} ms",
                name,
                process.pid(),
                Duration.ofNanos(System.nanoTime() - stoppingAt).toMillis());
    }

    /**
     * Polls rather than using {@link ProcessHandle#onExit()}: for processes that are not our
     * children (the server's own children) the JDK polls with a backoff, adding seconds per close.
     */
    private boolean awaitExit(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handles.stream().anyMatch(this::runs)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Our own child is reaped by the JDK, which knows best; descendants are checked in /proc. */
    private boolean runs(ProcessHandle handle) {
        return handle.pid() == process.pid() ? process.isAlive() : isRunning(handle);
    }

    /**
     * Whether a process still runs. Unlike {@link ProcessHandle#isAlive()}, a zombie whose threads
     * have all exited counts as ended: a server's children are re-parented when it exits and stay
     * zombies until the machine's init process reaps them, which takes seconds in this container. A
     * zombie thread-group leader whose other threads are still exiting still holds the process's
     * sockets, so it counts as running.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        Path proc = Path.of("/proc", Long.toString(handle.pid()));
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // "pid (comm) S ...": the state follows the last ')', as comm may contain one.
            int end = stat.lastIndexOf(')');
            if (end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z') {
                return true;
            }
            try (Stream<Path> threads = Files.list(proc.resolve("task"))) {
                return threads.count() > 1;
            }
        } catch (IOException | RuntimeException e) {
            return handle.isAlive(); // No procfs (not Linux), or the process just went away.
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(
                    System.lineSeparator(),
                    all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Describes how to start a {@link ManagedProcess}. */
    public static final class Builder {
        private final String name;
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private Path logDirectory;
        private int port = -1;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration gracePeriod = DEFAULT_GRACE_PERIOD;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder command(List<String> command) {
            this.command.clear();
            this.command.addAll(command);
            return this;
        }

        public Builder command(String... command) {
            return command(List.of(command));
        }

        /** Adds to (or overrides) the environment inherited from this JVM. */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /** Where {@code <name>.log} is written; required. */
        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = logDirectory;
            return this;
        }

        /** The port on 127.0.0.1 whose accepting connections means "started"; required. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * How long {@link #close()} waits after SIGTERM before SIGKILL; 5 s unless set. Servers
         * that hold nothing worth flushing and shut down slowly get a shorter one.
         */
        public Builder gracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
            return this;
        }

        /**
         * Starts the process and waits for its port.
         *
         * @throws IllegalStateException if the process exits or the port does not open in time; the
         *     message carries the log's tail, and the process is gone by then.
         */
        public ManagedProcess start() {
            if (command.isEmpty() || logDirectory == null || port <= 0) {
                throw new IllegalStateException("command, logDirectory and port are required");
            }
            Path logFile = logDirectory.resolve(name + ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().putAll(environment);
            long startedAt = System.nanoTime();
            ManagedProcess managed;
            try {
                Files.createDirectories(logDirectory);
                managed = new ManagedProcess(name, builder.start(), logFile, port, gracePeriod);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
            }
            long deadline = startedAt + startupTimeout.toNanos();
            // Also checks liveness after a successful connect: another process could have taken
            // the port between FreePorts.allocate() and our server's bind.
            while (!accepts(port) || !managed.process.isAlive()) {
                String failure = null;
                if (!managed.process.isAlive()) {
                    failure = "exited with code " + managed.process.exitValue();
                } else if (System.nanoTime() > deadline) {
                    failure = "did not accept connections within " + startupTimeout;
                } else {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure = "was interrupted while starting";
                    }
                }
                if (failure != null) {
                    managed.close();
                    throw new IllegalStateException(
                            String.format(
                                    "%s (pid %d) %s on %s:%d. Command: %s%nLast lines of %s:%n%s",
                                    name,
                                    managed.pid(),
                                    failure,
                                    FreePorts.LOOPBACK,
                                    port,
                                    command,
                                    logFile,
                                    managed.logTail()));
                }
            }
            LOG.info(
                    "{} (pid {}) accepts connections on {}:{} after {} ms; log: {}",
                    name,
                    managed.pid(),
                    FreePorts.LOOPBACK,
                    port,
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis(),
                    logFile);
            return managed;
        }
    }

    @Override
    public String toString() {
        return "ManagedProcess{" + name + ", pid=" + process.pid() + ", port=" + port + "}";
    }
}
