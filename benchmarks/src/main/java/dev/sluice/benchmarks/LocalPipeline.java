package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.FreePorts;
import dev.sluice.localstack.KinesisEmulator;
import dev.sluice.localstack.ManagedProcess;
import dev.sluice.localstack.PostgresServer;
import dev.sluice.localstack.S3ProxyServer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local stack the pipeline benchmarks share, each server in a process of its own (kinesalite,
 * S3Proxy, PostgreSQL), and the contenders' forked JVMs: Sluice itself ({@code SluiceJob --config})
 * and the bare reader. Each forked JVM runs on the job's own classpath with the JVM options of
 * {@code ./sluice local}, and is ended by its PID through {@link ManagedProcess}.
 */
final class LocalPipeline implements AutoCloseable {

    static final String BUCKET = "sluice-bench";
    static final String HEAP = "-Xmx1g";

    final Path workDir;
    final PostgresServer postgres;
    final S3ProxyServer s3;
    final KinesisEmulator kinesis;
    final long postgresPid;

    LocalPipeline(Path workDir) throws Exception {
        this.workDir = workDir;
        Files.createDirectories(workDir);
        postgres = PostgresServer.start();
        s3 = S3ProxyServer.start(workDir.resolve("s3"));
        kinesis = KinesisEmulator.Kind.KINESALITE.start(workDir.resolve("kinesis"));
        s3.createBucket(BUCKET);
        // The backend's parent is the postmaster; read it while the connection (and so the
        // backend process) is still open: a backend exits as soon as its connection closes.
        try (Connection connection = postgres.connect();
                Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            postgresPid = ProcessCpu.parent(rs.getLong(1));
        }
    }

    /** CPU seconds of each emulator (with its live children) so far. */
    Map<String, Double> emulatorCpu() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("kinesalite", ProcessCpu.seconds(kinesis.process().pid()));
        cpu.put("s3proxy", ProcessCpu.seconds(s3.process().pid()));
        cpu.put("postgresql", ProcessCpu.seconds(postgresPid));
        return cpu;
    }

    /**
     * Sluice's configuration, in the MSF runtime-properties shape {@code SluiceJob --config} reads,
     * with further property groups (an {@code Output.<name>}, say) added as they are; the keys of a
     * group it writes itself (e.g. {@code S3}) are added to that group.
     */
    Path sluiceConfig(
            String name,
            String stream,
            String format,
            String table,
            int parallelism,
            long checkpointMs,
            int restPort,
            Map<String, Map<String, String>> extraGroups)
            throws IOException {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        Map<String, String> source = new TreeMap<>(kinesis.flinkConnectorProperties());
        source.put("stream.name", stream);
        source.put("flink.stream.initpos", "TRIM_HORIZON");
        groups.put("KinesisSource", source);
        groups.put("EventTime", Map.of("field", "event_timestamp"));
        if (name.endsWith("-dedup")) {
            groups.put(
                    "Transform",
                    Map.of("chain", "max-size,json,dedup", "dedup.key.field", "event_id"));
        }
        Map<String, String> staging = new TreeMap<>(s3.flinkS3Configuration());
        staging.put("bucket", BUCKET);
        staging.put("prefix", name + "/");
        staging.put("format", format);
        staging.put("buffering.interval.s", Long.toString(checkpointMs / 1000));
        if (format.equals("CSV")) {
            staging.put("csv.columns", DemoEvents.COLUMNS);
        }
        groups.put("S3", staging);
        Map<String, String> warehouse = new TreeMap<>();
        warehouse.put("dialect", "postgres");
        warehouse.put("jdbc.url", postgres.jdbcUrl());
        warehouse.put("username", postgres.user());
        warehouse.put("password", postgres.password());
        warehouse.put("table", table);
        warehouse.put("columns", DemoEvents.COLUMNS);
        warehouse.put("ledger.schema", schemaOf(table));
        groups.put("Warehouse", warehouse);
        Map<String, String> flink = new TreeMap<>();
        flink.put("parallelism.default", Integer.toString(parallelism));
        flink.put("rest.port", Integer.toString(restPort));
        flink.put(
                "state.checkpoints.dir",
                workDir.resolve("checkpoints").resolve(name).toUri().toString());
        groups.put("Flink", flink);
        // A group already here (e.g. S3) gets the extra keys added; others are added whole.
        extraGroups.forEach(
                (id, keys) -> {
                    Map<String, String> merged = new TreeMap<>(groups.getOrDefault(id, Map.of()));
                    merged.putAll(keys);
                    groups.put(id, merged);
                });

        ArrayNode root = BenchmarkReport.mapper().createArrayNode();
        groups.forEach(
                (id, properties) -> {
                    ObjectNode group = root.addObject();
                    group.put("PropertyGroupId", id);
                    ObjectNode map = group.putObject("PropertyMap");
                    properties.forEach(map::put);
                });
        Path file = workDir.resolve(name + ".json");
        BenchmarkReport.mapper().writeValue(file.toFile(), root);
        return file;
    }

    static String schemaOf(String table) {
        return table.substring(0, table.indexOf('.'));
    }

    /**
     * Starts a main class of the job's classpath in its own JVM; returns once its REST port is up.
     * The JVM gets {@value #HEAP} first, so an {@code -Xmx} among {@code extraJvmOptions}, which
     * come later, replaces it (HotSpot takes the last).
     */
    ManagedProcess fork(
            String name,
            int restPort,
            List<String> extraJvmOptions,
            String mainClass,
            String... args)
            throws IOException {
        Path root = Path.of("").toAbsolutePath();
        String classpath =
                Files.readString(root.resolve("job/target/local-classpath.txt")).trim()
                        + ":"
                        + root.resolve("job/target/classes")
                        + ":"
                        + root.resolve("benchmarks/target/classes");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(HEAP);
        for (String option :
                Files.readString(root.resolve("job/target/jvm-options.txt")).trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.add("-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2-local.properties"));
        // kinesalite speaks JSON only: CBOR off for the legacy consumer's SDK v1 and for the SDK v2
        // of the FLIP-27 source (the preload that lets kinesalite take an ARN reads JSON too).
        command.add("-Dorg.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor=true");
        command.add("-Daws.cborEnabled=false");
        command.add("-Daws.java.v1.disableDeprecationAnnouncement=true");
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return ManagedProcess.builder(name)
                .command(command)
                .environment("AWS_CBOR_DISABLE", "true")
                .logDirectory(workDir.resolve("logs"))
                .port(restPort)
                .startupTimeout(Duration.ofSeconds(120))
                .gracePeriod(Duration.ofSeconds(20))
                .start();
    }

    static int freePort() {
        return FreePorts.allocate();
    }

    /** Rows the ledger says are loaded into the table whose ledger lives in {@code schema}. */
    static long ledgerRows(Connection connection, String schema) {
        try (Statement s = connection.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT coalesce(sum(row_count), 0) FROM "
                                        + schema
                                        + ".sluice_load_ledger")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notYet) {
            return 0;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException notYet) {
            return "";
        }
    }

    @Override
    public void close() {
        kinesis.close();
        s3.close();
        postgres.close();
    }
}
