package dev.sluice.localstack;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A standalone Flink session cluster on 127.0.0.1, as separate JVMs: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}), each a
 * {@link ManagedProcess} with its log in {@code <workDir>/logs/}.
 *
 * <h2>Why not a MiniCluster</h2>
 *
 * A MiniCluster runs the job in the test's JVM with the test's class path. A real cluster loads the
 * job jar in its own user-code class loader next to Flink's {@code lib/}, reads S3 through the
 * {@code s3-fs-hadoop} plugin configured in the cluster's own configuration file, receives the jar
 * and its arguments over REST, and survives a TaskManager process dying. Only separate processes
 * show whether the shaded jar works there.
 *
 * <h2>How it is put together without flink-dist</h2>
 *
 * <ul>
 *   <li>The class path is that of a distribution's {@code lib/}, resolved by Maven in the {@code
 *       flink-cluster} module: runtime, DataStream API, clients, {@code flink-runtime-web} (without
 *       it {@code POST /jars/upload} answers "POST request not allowed"), the file connector and
 *       log4j — and not {@code flink-s3-fs-hadoop}, which is a plugin (on both, its delegation
 *       token provider "has multiple implementations").
 *   <li>{@code FLINK_CONF_DIR} holds {@code config.yaml} (the file Flink 1.19 reads when no legacy
 *       {@code flink-conf.yaml} exists) and the log4j configuration; {@code FLINK_PLUGINS_DIR}
 *       holds {@code s3-fs-hadoop/}.
 *   <li>Flink's start scripts compute the TaskManager's memory and JVM options; started directly,
 *       the TaskManager needs {@code taskmanager.cpu.cores} and every {@code taskmanager.memory.*}
 *       component, and the JVM gets matching {@code -Xmx}, direct memory and metaspace limits here.
 *   <li>Every address is 127.0.0.1 and every port is chosen free; a restarted TaskManager gets new
 *       ports through dynamic properties ({@code -Dkey=value}), so a dying one's sockets never
 *       block it.
 * </ul>
 *
 * <pre>{@code
 * try (FlinkSessionCluster cluster = FlinkSessionCluster.builder(dir)
 *         .slots(4)
 *         .set("s3.endpoint", s3.endpoint())
 *         .environment("AWS_CBOR_DISABLE", "true")
 *         .start()) {
 *     String jar = cluster.rest().uploadJar(jobJar);
 *     String job = cluster.rest().runJar(jar, List.of("--config", file), 2, null);
 *     cluster.killTaskManager();
 *     cluster.startTaskManager();
 * }
 * }</pre>
 */
public final class FlinkSessionCluster implements AutoCloseable {

    /**
     * Java 17 module options, exactly as a Flink 1.19 distribution's {@code config.yaml} sets
     * {@code env.java.opts.all}: the job must run with these, not with more that a test adds.
     */
    public static final List<String> JAVA_17_OPTIONS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final int LOG_TAIL_LINES = 60;

    private final Builder settings;
    private final Path confDir;
    private final Path logDir;
    private final String classpath;
    private final FlinkRestClient rest;
    private final List<String> taskManagerMemoryOptions;
    private ManagedProcess jobManager;
    private ManagedProcess taskManager;
    private int taskManagerStarts;

    private FlinkSessionCluster(
            Builder settings,
            Path confDir,
            String classpath,
            int restPort,
            List<String> taskManagerMemoryOptions) {
        this.settings = settings;
        this.taskManagerMemoryOptions = taskManagerMemoryOptions;
        this.confDir = confDir;
        this.logDir = settings.workDir.resolve("logs");
        this.classpath = classpath;
        this.rest = new FlinkRestClient("http://" + FreePorts.LOOPBACK + ":" + restPort);
    }

    private void startJobManager(int restPort) {
        List<String> command = javaCommand(List.of("-Xmx" + settings.jobManagerHeapMb + "m"));
        command.add(JOB_MANAGER_MAIN);
        command.add("--configDir");
        command.add(confDir.toString());
        jobManager = processBuilder("jobmanager", command, restPort).start();
    }

    /**
     * A cluster whose configuration, logs, uploads and temporary files live under {@code workDir}.
     */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** The REST API of the JobManager. */
    public FlinkRestClient rest() {
        return rest;
    }

    /** {@code http://127.0.0.1:<rest.port>}. */
    public String restUrl() {
        return rest.baseUrl();
    }

    public ManagedProcess jobManager() {
        return jobManager;
    }

    /** The running TaskManager, or the last one started if it has been killed. */
    public ManagedProcess taskManager() {
        return taskManager;
    }

    /** The number of slots the TaskManager offers. */
    public int slots() {
        return settings.slots;
    }

    /**
     * SIGKILLs the TaskManager process ({@code kill -9 <pid>}): every task on it dies without
     * cleanup, as when a machine or container is lost.
     */
    public void killTaskManager() {
        taskManager.kill(Duration.ofSeconds(10));
    }

    /**
     * Starts a TaskManager (again, after {@link #killTaskManager()}), on new ports, and waits until
     * the JobManager counts its slots.
     */
    public void startTaskManager() {
        if (taskManager != null && taskManager.isAlive()) {
            throw new IllegalStateException("A TaskManager is already running: " + taskManager);
        }
        taskManagerStarts++;
        int rpcPort = FreePorts.allocate();
        List<String> command = javaCommand(taskManagerMemoryOptions);
        command.add(TASK_MANAGER_MAIN);
        command.add("--configDir");
        command.add(confDir.toString());
        command.add("-Dtaskmanager.rpc.port=" + rpcPort);
        command.add("-Dtaskmanager.data.port=" + FreePorts.allocate());
        command.add("-Dtaskmanager.resource-id=taskmanager-" + taskManagerStarts);
        taskManager = processBuilder("taskmanager-" + taskManagerStarts, command, rpcPort).start();
        FlinkRestClient.await(
                "TaskManager "
                        + taskManagerStarts
                        + " (pid "
                        + taskManager.pid()
                        + ") to register "
                        + settings.slots
                        + " slots",
                () -> rest.get("/taskmanagers"),
                answer -> {
                    for (JsonNode tm : answer.path("taskmanagers")) {
                        if (tm.path("id").asText().equals("taskmanager-" + taskManagerStarts)) {
                            return tm.path("slotsNumber").asInt() == settings.slots;
                        }
                    }
                    return false;
                },
                STARTUP_TIMEOUT);
    }

    /** The last lines of the JobManager's and TaskManagers' logs, for failure messages. */
    public String logTails() {
        StringBuilder tails = new StringBuilder();
        try (Stream<Path> logs = Files.list(logDir)) {
            logs.sorted()
                    .forEach(
                            log ->
                                    tails.append(
                                            String.format(
                                                    "%n===== last %d lines of %s =====%n%s%n",
                                                    LOG_TAIL_LINES, log, tail(log))));
        } catch (IOException e) {
            tails.append("<cannot list ").append(logDir).append(": ").append(e).append('>');
        }
        return tails.toString();
    }

    public Path logDirectory() {
        return logDir;
    }

    /**
     * Copies the JobManager's and TaskManagers' logs into {@code target} (created if needed), e.g.
     * into the build's report folder when a test fails, since the cluster's own folder is
     * temporary.
     */
    public void copyLogsTo(Path target) {
        try (Stream<Path> logs = Files.list(logDir)) {
            Files.createDirectories(target);
            for (Path log : logs.collect(Collectors.toList())) {
                Files.copy(
                        log,
                        target.resolve(log.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot copy the cluster's logs from " + logDir + " to " + target, e);
        }
    }

    @Override
    public void close() {
        try {
            if (taskManager != null) {
                taskManager.close();
            }
        } finally {
            if (jobManager != null) {
                jobManager.close();
            }
        }
    }

    private List<String> javaCommand(List<String> memoryOptions) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(memoryOptions);
        // Few threads and no large heaps: a test cluster on 2 cores shared with other processes.
        command.add("-XX:+UseSerialGC");
        command.addAll(JAVA_17_OPTIONS);
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j-console.properties"));
        // Hadoop's S3A (in the plugin) uses AWS SDK v1, which prints a deprecation notice on load.
        command.add("-Daws.java.v1.disableDeprecationAnnouncement=true");
        command.add("-cp");
        command.add(classpath);
        return command;
    }

    private ManagedProcess.Builder processBuilder(String name, List<String> command, int port) {
        ManagedProcess.Builder builder =
                ManagedProcess.builder(name)
                        .command(command)
                        .environment("FLINK_CONF_DIR", confDir.toString())
                        .environment("FLINK_PLUGINS_DIR", settings.pluginsDir.toString())
                        .workingDirectory(settings.workDir)
                        .logDirectory(logDir)
                        .port(port)
                        .startupTimeout(STARTUP_TIMEOUT)
                        .gracePeriod(Duration.ofSeconds(10));
        settings.environment.forEach(builder::environment);
        return builder;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(
                    System.lineSeparator(),
                    lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }

    /**
     * Describes the cluster; every setting has a default fit for 2 cores shared with other tests.
     */
    public static final class Builder {
        private final Path workDir;
        private final Map<String, String> configuration = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path pluginsDir;
        private int slots = 4;
        private int jobManagerHeapMb = 512;

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
        }

        /** The JobManager's heap (and {@code jobmanager.memory.heap.size}); 512 MB by default. */
        public Builder jobManagerHeapMb(int megabytes) {
            this.jobManagerHeapMb = megabytes;
            return this;
        }

        /**
         * Slots of the TaskManager, and so the highest parallelism a job can run at; 4 by default.
         */
        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        /**
         * A key of the cluster's {@code config.yaml}; overrides the defaults of {@link #start()}.
         */
        public Builder set(String key, String value) {
            configuration.put(key, value);
            return this;
        }

        public Builder set(Map<String, String> entries) {
            configuration.putAll(entries);
            return this;
        }

        /** An environment variable of both processes (e.g. {@code AWS_CBOR_DISABLE=true}). */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /**
         * The plugins folder; by default the one the {@code flink-cluster} module's build wrote.
         */
        public Builder pluginsDir(Path pluginsDir) {
            this.pluginsDir = pluginsDir;
            return this;
        }

        /**
         * Writes the configuration and starts the JobManager, then one TaskManager, and returns
         * once the TaskManager's slots are registered.
         */
        public FlinkSessionCluster start() {
            if (pluginsDir == null) {
                pluginsDir = LocalStackProperties.flinkPluginsDir();
            }
            String classpath;
            try {
                classpath =
                        Files.readString(
                                        LocalStackProperties.flinkClasspathFile(),
                                        StandardCharsets.UTF_8)
                                .trim();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the Flink class path file", e);
            }
            Map<String, String> conf = defaults();
            conf.putAll(configuration);
            // The JVM limits Flink's scripts would derive from the memory components.
            List<String> taskManagerMemory =
                    List.of(
                            "-Xmx"
                                    + (mb(conf, "taskmanager.memory.framework.heap.size")
                                            + mb(conf, "taskmanager.memory.task.heap.size"))
                                    + "m",
                            "-XX:MaxDirectMemorySize="
                                    + (mb(conf, "taskmanager.memory.framework.off-heap.size")
                                            + mb(conf, "taskmanager.memory.task.off-heap.size")
                                            + mb(conf, "taskmanager.memory.network.max"))
                                    + "m",
                            "-XX:MaxMetaspaceSize="
                                    + mb(conf, "taskmanager.memory.jvm-metaspace.size")
                                    + "m");

            Path confDir = workDir.resolve("conf");
            try {
                Files.createDirectories(confDir);
                Files.createDirectories(workDir.resolve("tmp"));
                Files.createDirectories(workDir.resolve("upload"));
                StringBuilder yaml =
                        new StringBuilder(
                                "# Written by " + FlinkSessionCluster.class.getName() + "\n");
                conf.forEach((k, v) -> yaml.append(k).append(": ").append(quoted(v)).append('\n'));
                Files.writeString(
                        confDir.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
                Files.writeString(
                        confDir.resolve("log4j-console.properties"), LOG4J, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot write the cluster configuration under " + confDir, e);
            }

            int restPort = Integer.parseInt(conf.get("rest.port"));
            FlinkSessionCluster cluster =
                    new FlinkSessionCluster(this, confDir, classpath, restPort, taskManagerMemory);
            try {
                cluster.startJobManager(restPort);
                cluster.startTaskManager();
            } catch (RuntimeException e) {
                String logs = cluster.logTails();
                cluster.close();
                throw new IllegalStateException(
                        "The Flink session cluster did not start" + logs, e);
            }
            return cluster;
        }

        private Map<String, String> defaults() {
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("jobmanager.rpc.address", FreePorts.LOOPBACK);
            conf.put("jobmanager.rpc.port", Integer.toString(FreePorts.allocate()));
            conf.put("jobmanager.bind-host", FreePorts.LOOPBACK);
            conf.put("taskmanager.host", FreePorts.LOOPBACK);
            conf.put("taskmanager.bind-host", FreePorts.LOOPBACK);
            conf.put("rest.address", FreePorts.LOOPBACK);
            conf.put("rest.bind-address", FreePorts.LOOPBACK);
            conf.put("rest.port", Integer.toString(FreePorts.allocate()));
            conf.put("blob.server.port", Integer.toString(FreePorts.allocate()));
            conf.put("io.tmp.dirs", workDir.resolve("tmp").toString());
            conf.put("web.upload.dir", workDir.resolve("upload").toString());
            conf.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
            conf.put("taskmanager.cpu.cores", Integer.toString(slots));
            // Every component, as Flink's scripts would have derived them from a process size.
            conf.put("taskmanager.memory.framework.heap.size", "128m");
            conf.put("taskmanager.memory.task.heap.size", "512m");
            conf.put("taskmanager.memory.framework.off-heap.size", "128m");
            conf.put("taskmanager.memory.task.off-heap.size", "64m");
            conf.put("taskmanager.memory.managed.size", "0m");
            conf.put("taskmanager.memory.network.min", "64m");
            conf.put("taskmanager.memory.network.max", "64m");
            conf.put("taskmanager.memory.jvm-metaspace.size", "384m");
            conf.put("taskmanager.memory.jvm-overhead.min", "192m");
            conf.put("taskmanager.memory.jvm-overhead.max", "192m");
            conf.put("jobmanager.memory.heap.size", jobManagerHeapMb + "m");
            // A killed TaskManager is noticed in seconds, not the default 50.
            conf.put("heartbeat.interval", "2000");
            conf.put("heartbeat.timeout", "10000");
            conf.put("state.backend.type", "hashmap");
            return conf;
        }

        private static int mb(Map<String, String> conf, String key) {
            String value = conf.get(key).trim().toLowerCase();
            if (!value.endsWith("m")) {
                throw new IllegalArgumentException(
                        key + " must be given in megabytes (e.g. 256m): " + value);
            }
            return Integer.parseInt(value.substring(0, value.length() - 1));
        }

        private static String quoted(String value) {
            return "'" + value.replace("'", "''") + "'";
        }
    }

    private static final String LOG4J =
            String.join(
                    "\n",
                    "# Written by FlinkSessionCluster: everything to stdout, which ManagedProcess writes to the log file.",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.console.ref = ConsoleAppender",
                    "appender.console.name = ConsoleAppender",
                    "appender.console.type = CONSOLE",
                    "appender.console.layout.type = PatternLayout",
                    "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} [%t] - %m%n",
                    "logger.hadoop.name = org.apache.hadoop",
                    "logger.hadoop.level = WARN",
                    "logger.zookeeper.name = org.apache.flink.shaded.zookeeper3",
                    "logger.zookeeper.level = WARN",
                    "logger.pekko.name = org.apache.pekko",
                    "logger.pekko.level = WARN",
                    "# The Kinesis consumer logs 'No active shard for subtask N, marking the source idle'",
                    "# on every poll of a subtask without shards (parallelism above the shard count).",
                    "logger.kinesisfetcher.name = org.apache.flink.streaming.connectors.kinesis.internals.KinesisDataFetcher",
                    "logger.kinesisfetcher.level = WARN",
                    "");
}
