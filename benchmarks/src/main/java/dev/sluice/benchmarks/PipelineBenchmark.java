package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisStreams;
import dev.sluice.localstack.ManagedProcess;
import dev.sluice.localstack.ProducerRecord;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.FileWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static dev.sluice.benchmarks.BenchmarkCli.intFlag;
import static dev.sluice.benchmarks.BenchmarkCli.say;
import static dev.sluice.benchmarks.BenchmarkCli.stringFlag;

/**
 * {@code ./sluice benchmark pipeline}: the whole pipeline next to the bare Kinesis reader, on one
 * kinesalite stream filled beforehand, with the same parallelism and checkpoint interval.
 *
 * <p>Contenders, one after the other, each in a JVM of its own (so its CPU time is its own):
 *
 * <ul>
 *   <li>{@code bare-reader}: {@link BareReaderJob}, the {@code FlinkKinesisConsumer} into a
 *       counting, discarding sink; "delivered" is "counted by the sink".
 *   <li>{@code sluice-json}: {@code SluiceJob --config}, JSON lines + GZIP staged in S3Proxy and
 *       loaded into PostgreSQL; "delivered" is "queryable": the ledger's row count, which commits
 *       in the same transaction as the rows.
 *   <li>{@code sluice-csv}: the same with CSV + GZIP staging.
 *   <li>{@code bare-reader-flip27}: the bare reader with the FLIP-27 {@code KinesisStreamsSource},
 *       the baseline of the {@code -flip27} contenders.
 *   <li>{@code sluice-json-flip27}: {@code sluice-json} read by the FLIP-27 {@code
 *       KinesisStreamsSource} instead of the legacy consumer. Flink chains a sink writer to a
 *       FLIP-27 source but never to a legacy {@code SourceFunction} (the writer is a yielding
 *       operator), so this contender shows what the extra hop costs the others.
 *   <li>{@code sluice-json-dedup}: {@code sluice-json} with {@code dedup} keyed by {@code event_id}
 *       in the chain: the cost of the keyBy (a shuffle and a second JSON parse per record) and of
 *       the seen-keys state (heap backend). Every event is distinct, so nothing is dropped and the
 *       rows are comparable; the difference in checkpointed state to {@code sluice-json} is the
 *       seen keys' size.
 * </ul>
 *
 * <p>For each it reports the steady-state rate between the samples where 10% and 90% of the events
 * were delivered, the time from starting the JVM to the first delivered record, CPU seconds of the
 * contender's JVM per million records over that steady window (and over the whole run, start-up
 * included), how much of it the JIT compiler used and where the rest went by thread ({@link
 * ThreadCpu}), the emulators' CPU over the same window, what that CPU costs per GB at MSF's KPU
 * price next to Firehose's ingestion price for the same records, and for the Sluice contenders the
 * checkpointed state size once every row is queryable ({@link CheckpointedState}).
 *
 * <p>{@code --only a,b} runs the named contenders only (see {@link #selected}). {@code
 * --pin-source} gives kinesalite a CPU of its own and the rest of the machine to everything else
 * ({@link CpuPinning}), as a job and Kinesis are apart in production.
 *
 * <p>{@code --rounds N} runs every selected contender N times, in turn (bare reader, then the
 * Sluice contenders, then again), and adds a table of each contender's median over the rounds, its
 * ratio taken within each round: on a VM whose speed drifts by 10–20 % from minute to minute, one
 * round cannot tell whether a ratio near a target is the job's or the machine's.
 *
 * <p>{@code --warm-up-records N} first runs each contender in its JVM on the same stream, into
 * places of its own, until N records are delivered, then measures a second run in that warm JVM
 * ({@link WarmUpFirst}): the steady state of a job that has run for a while, without the JIT
 * compilation a young JVM spends a third of its CPU on.
 *
 * <p>{@code --jfr} adds a JFR recording ({@code settings=profile}) to the Sluice contenders and
 * prints their hottest frames; a recording perturbs the figures, so use it on a separate run.
 */
public final class PipelineBenchmark {

    /**
     * What a contender changes in the job's configuration: the GZIP level if given, and for {@code
     * sluice-json-flip27} the FLIP-27 source, which needs the stream's ARN.
     */
    private static Map<String, Map<String, String>> extraGroups(
            String name, String gzipLevel, KinesisStreams streams, String stream) {
        Map<String, Map<String, String>> extra = new LinkedHashMap<>();
        if (!gzipLevel.isEmpty()) {
            extra.put("S3", Map.of("compression.gzip.level", gzipLevel));
        }
        if (name.endsWith("-flip27")) {
            extra.put(
                    "KinesisSource",
                    Map.of("source.type", "FLIP27", "stream.arn", streams.streamArn(stream)));
        }
        return extra;
    }

    /**
     * The bare reader a contender is compared with: {@code bare-reader-flip27} for the FLIP-27
     * contenders when it ran, {@code bare-reader} otherwise; null if neither ran.
     */
    private static Result bareReaderFor(List<Result> all, String name, int round) {
        String wanted = name.endsWith("-flip27") ? "bare-reader-flip27" : "bare-reader";
        Result fallback = null;
        for (Result r : all) {
            if (r.round != round) {
                continue;
            }
            if (r.name.equals(wanted)) {
                return r;
            }
            if (r.name.equals("bare-reader")) {
                fallback = r;
            }
        }
        return fallback;
    }

    /** Firehose bills each record rounded up to 5 KB. */
    static final int FIREHOSE_BILLING_INCREMENT = 5 * 1024;

    static final List<String> CONTENDERS =
            List.of(
                    "bare-reader",
                    "bare-reader-flip27",
                    "sluice-json",
                    "sluice-csv",
                    "sluice-json-flip27",
                    "sluice-json-dedup");

    private PipelineBenchmark() {}

    /**
     * Whether {@code --only} selects a contender: each comma-separated entry names one contender
     * exactly, or, if no contender has that name, selects every name containing it ({@code json}).
     */
    static boolean selected(String name, String only) {
        if (only.isEmpty()) {
            return true;
        }
        for (String entry : only.split(",")) {
            if (CONTENDERS.contains(entry) ? name.equals(entry) : name.contains(entry)) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        int records = intFlag(args, "--records", 300_000);
        int shards = intFlag(args, "--shards", 4);
        int parallelism = intFlag(args, "--parallelism", 2);
        int checkpointMs = intFlag(args, "--checkpoint-interval-ms", 2000);
        int timeoutS = intFlag(args, "--timeout-s", 600);
        int rounds = intFlag(args, "--rounds", 1);
        int warmUpRecords = intFlag(args, "--warm-up-records", 0);
        if (warmUpRecords > records) {
            throw new IllegalArgumentException(
                    "--warm-up-records " + warmUpRecords + " is more than --records " + records);
        }
        String only = stringFlag(args, "--only", "");
        String gzipLevel = stringFlag(args, "--gzip-level", "");
        boolean jfr = List.of(args).contains("--jfr");
        CpuPinning pinning =
                List.of(args).contains("--pin-source") ? CpuPinning.sourceApart() : null;
        double kpuPrice = Double.parseDouble(stringFlag(args, "--kpu-price", "0.11"));
        double firehosePrice = Double.parseDouble(stringFlag(args, "--firehose-price", "0.029"));
        Path results =
                Path.of(stringFlag(args, "--results", "benchmarks/results")).toAbsolutePath();
        Path workDir =
                Path.of(stringFlag(args, "--work-dir", ".sluice/bench-pipeline")).toAbsolutePath();
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        System.setProperty("aws.cborEnabled", "false");
        if (Files.exists(workDir)) {
            BenchmarkCli.deleteRecursively(workDir);
        }
        BenchmarkReport report = new BenchmarkReport("pipeline", args);

        try (LocalPipeline stack = new LocalPipeline(workDir);
                KinesisStreams streams = KinesisStreams.connect(stack.kinesis)) {
            if (pinning != null) {
                pinning.pinSource(stack.kinesis.process().pid());
                pinning.pinOther(stack.s3.process().pid());
                pinning.pinOther(stack.postgresPid);
                pinning.pinOther(ProcessHandle.current().pid());
                say(
                        "pinned kinesalite to CPU "
                                + pinning.sourceCpus()
                                + ", everything else to CPUs "
                                + pinning.otherCpus());
            }
            String stream = "bench-events";
            streams.createStream(stream, shards);
            List<ProducerRecord> batch = new ArrayList<>(records);
            long payloadBytes = 0;
            long firehoseBilledBytes = 0;
            DemoEvents events = new DemoEvents(records, 42);
            while (events.hasNext()) {
                DemoEvents.Event e = events.next();
                batch.add(new ProducerRecord(e.partitionKey(), e.json()));
                payloadBytes += e.json().length;
                firehoseBilledBytes += roundUp(e.json().length, FIREHOSE_BILLING_INCREMENT);
            }
            long putStart = System.nanoTime();
            int put = streams.producer().putAll(stream, batch);
            double putSeconds = (System.nanoTime() - putStart) / 1e9;
            if (put != records) {
                throw new IllegalStateException("put " + put + " of " + records);
            }
            batch.clear();
            double recordBytes = (double) payloadBytes / records;
            say(
                    String.format(
                            Locale.ROOT,
                            "put %,d events (%.0f bytes each on average) into %d shards in %.1f s (%,.0f/s)",
                            records,
                            recordBytes,
                            shards,
                            putSeconds,
                            records / putSeconds));

            Properties consumer = new Properties();
            stack.kinesis.flinkConnectorProperties().forEach(consumer::setProperty);
            consumer.setProperty("flink.stream.initpos", "TRIM_HORIZON");
            Path consumerFile = workDir.resolve("bare-consumer.properties");
            try (FileWriter w = new FileWriter(consumerFile.toFile(), StandardCharsets.UTF_8)) {
                consumer.store(w, "bare reader");
            }

            List<Result> all = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (String name : CONTENDERS) {
                    if (!selected(name, only)) {
                        continue;
                    }
                    int port = LocalPipeline.freePort();
                    List<String> jvm = new ArrayList<>();
                    Path recording = results.resolve("pipeline-" + name + ".jfr");
                    if (jfr && name.startsWith("sluice") && round == 1) {
                        Files.createDirectories(results);
                        jvm.add(
                                "-XX:StartFlightRecording=filename="
                                        + recording
                                        + ",settings=profile,dumponexit=true");
                    }
                    Contender run =
                            new Contender(stack, pinning, name, records, timeoutS, port, jvm);
                    Result result;
                    if (name.startsWith("bare-reader")) {
                        String arn = name.endsWith("-flip27") ? streams.streamArn(stream) : "";
                        WarmUp warmUp = null;
                        if (warmUpRecords > 0) {
                            Path warmUpProgress =
                                    workDir.resolve(name + "-warm-up-progress-" + round);
                            int warmUpPort = LocalPipeline.freePort();
                            warmUp =
                                    new WarmUp(
                                            warmUpRecords,
                                            warmUpPort,
                                            workDir.resolve(name + "-go-" + round),
                                            () -> bareProgress(warmUpProgress),
                                            bareReaderArgs(
                                                    consumerFile,
                                                    stream,
                                                    parallelism,
                                                    checkpointMs,
                                                    warmUpPort,
                                                    warmUpProgress,
                                                    arn));
                        }
                        // A file per round: with a warm-up the last round's total would be
                        // read as this round's until the measured run first writes its own.
                        Path progress = workDir.resolve(name + "-progress-" + round);
                        result =
                                run.measure(
                                        -1,
                                        () -> bareProgress(progress),
                                        warmUp,
                                        BareReaderJob.class.getName(),
                                        bareReaderArgs(
                                                consumerFile,
                                                stream,
                                                parallelism,
                                                checkpointMs,
                                                port,
                                                progress,
                                                arn));
                    } else {
                        String format = name.contains("csv") ? "CSV" : "JSON";
                        String schema = name.replace('-', '_') + (rounds > 1 ? "_r" + round : "");
                        String table = schema + ".user_events";
                        Map<String, Map<String, String>> extra =
                                extraGroups(name, gzipLevel, streams, stream);
                        stack.postgres.execute("CREATE SCHEMA " + schema);
                        stack.postgres.execute(DemoEvents.createTableSql(table));
                        Path config =
                                stack.sluiceConfig(
                                        name,
                                        stream,
                                        format,
                                        table,
                                        parallelism,
                                        checkpointMs,
                                        port,
                                        extra);
                        try (Connection connection = stack.postgres.connect()) {
                            WarmUp warmUp = null;
                            if (warmUpRecords > 0) {
                                // The same stream into a table, ledger and prefix of its own.
                                String warmUpSchema = schema + "_warm_up";
                                stack.postgres.execute("CREATE SCHEMA " + warmUpSchema);
                                stack.postgres.execute(
                                        DemoEvents.createTableSql(warmUpSchema + ".user_events"));
                                int warmUpPort = LocalPipeline.freePort();
                                Path warmUpConfig =
                                        stack.sluiceConfig(
                                                name + "-warm-up",
                                                stream,
                                                format,
                                                warmUpSchema + ".user_events",
                                                parallelism,
                                                checkpointMs,
                                                warmUpPort,
                                                extra);
                                warmUp =
                                        new WarmUp(
                                                warmUpRecords,
                                                warmUpPort,
                                                workDir.resolve(name + "-go-" + round),
                                                () ->
                                                        LocalPipeline.ledgerRows(
                                                                connection, warmUpSchema),
                                                new String[] {"--config", warmUpConfig.toString()});
                            }
                            result =
                                    run.measure(
                                            port,
                                            () -> LocalPipeline.ledgerRows(connection, schema),
                                            warmUp,
                                            "dev.sluice.job.SluiceJob",
                                            "--config",
                                            config.toString());
                        }
                        long rows = stack.postgres.queryLong("SELECT count(*) FROM " + table);
                        long distinct =
                                stack.postgres.queryLong(
                                        "SELECT count(DISTINCT event_id) FROM " + table);
                        if (rows != records || distinct != records) {
                            throw new IllegalStateException(
                                    name
                                            + " delivered "
                                            + rows
                                            + " rows, "
                                            + distinct
                                            + " distinct, of "
                                            + records);
                        }
                    }
                    result.round = round;
                    all.add(result);
                    say((rounds > 1 ? "round " + round + ": " : "") + result);
                    if (jfr && round == 1 && Files.exists(recording)) {
                        say(
                                "JFR recording: "
                                        + recording
                                        + " (top frames: "
                                        + "java -cp benchmarks/target/classes dev.sluice.benchmarks.JfrTopFrames "
                                        + recording
                                        + ")");
                        JfrTopFrames.print(recording, 25);
                    }
                }
            }

            double recordsPerGb = 1e9 / recordBytes;
            double firehosePerGb = firehosePrice * firehoseBilledBytes / (double) payloadBytes;

            List<String> table = new ArrayList<>();
            table.add(
                    "| contender | records/s (10–90%) | MB/s | ratio to its bare reader | first record/row after | all after "
                            + "| JVM CPU s per M records (steady) | of it JIT compiler | (whole run) | CPU × its bare reader "
                            + "| without JIT: CPU s per M, × its bare reader "
                            + "| emulators' CPU s per M (kinesalite / s3proxy / postgres) "
                            + "| $ per GB at MSF KPU price | checkpointed state after delivery |");
            table.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
            ArrayNode rows = report.json().putArray("contenders");
            for (Result r : all) {
                Result bare = bareReaderFor(all, r.name, r.round);
                double bareRate = bare == null ? Double.NaN : bare.rate();
                double bareCpu = bare == null ? Double.NaN : bare.cpuPerMillion();
                double bareCpuWithoutJit =
                        bare == null ? Double.NaN : bare.cpuWithoutJitPerMillion();
                double costPerGb = r.cpuPerMillion() / 1e6 * recordsPerGb / 3600.0 * kpuPrice;
                table.add(
                        String.format(
                                Locale.ROOT,
                                "| %s | %,.0f | %.1f | %.2f | %.1f s | %.1f s | %.1f | %.1f | %.1f | %.2f | %.1f, %.2f | %.1f / %.1f / %.1f | %.4f | %s |",
                                rounds > 1 ? r.name + " (round " + r.round + ")" : r.name,
                                r.rate(),
                                r.rate() * recordBytes / 1e6,
                                r.rate() / bareRate,
                                r.firstSeconds,
                                r.allSeconds,
                                r.cpuPerMillion(),
                                r.jitPerMillion(),
                                r.cpuWholePerMillion(),
                                r.cpuPerMillion() / bareCpu,
                                r.cpuWithoutJitPerMillion(),
                                r.cpuWithoutJitPerMillion() / bareCpuWithoutJit,
                                r.emulatorPerMillion("kinesalite"),
                                r.emulatorPerMillion("s3proxy"),
                                r.emulatorPerMillion("postgresql"),
                                costPerGb,
                                r.state == null
                                        ? "—"
                                        : String.format(
                                                Locale.ROOT, "%,d B", r.state.stateBytes())));
                ObjectNode row = rows.addObject();
                row.put("name", r.name);
                row.put("round", r.round);
                row.put("records_per_s", r.rate());
                row.put("mb_per_s", r.rate() * recordBytes / 1e6);
                row.put("bare_reader", bare == null ? null : bare.name);
                row.put("ratio_to_bare_reader", r.rate() / bareRate);
                row.put("first_delivered_after_s", r.firstSeconds);
                row.put("all_delivered_after_s", r.allSeconds);
                row.put("jvm_cpu_s_per_million_steady", r.cpuPerMillion());
                row.put("jit_cpu_s_per_million_steady", r.jitPerMillion());
                row.put("jvm_cpu_s_per_million_steady_without_jit", r.cpuWithoutJitPerMillion());
                row.put("jvm_cpu_s_per_million_whole_run", r.cpuWholePerMillion());
                row.put("jit_cpu_s_whole_run", r.wholeJitCpu);
                row.put("cpu_ratio_to_bare_reader", r.cpuPerMillion() / bareCpu);
                row.put(
                        "cpu_ratio_to_bare_reader_without_jit",
                        r.cpuWithoutJitPerMillion() / bareCpuWithoutJit);
                ObjectNode emu = row.putObject("emulator_cpu_s_per_million_steady");
                r.emulatorsDelta.keySet().forEach(k -> emu.put(k, r.emulatorPerMillion(k)));
                row.put("usd_per_gb_at_kpu_price", costPerGb);
                ObjectNode byThread = row.putObject("jvm_cpu_s_per_million_steady_by_thread");
                r.windowThreads.forEach(
                        (group, seconds) -> byThread.put(group, seconds / r.windowRecords * 1e6));
                row.put("steady_window_records", r.windowRecords);
                if (warmUpRecords > 0) {
                    row.put("warm_up_delivered_after_s", r.warmUpSeconds);
                    row.put("warm_up_jvm_cpu_s", r.warmUpCpu);
                    row.put("warm_up_jit_cpu_s", r.warmUpJitCpu);
                }
                row.put("steady_window_s", r.windowSeconds);
                if (r.state != null) {
                    ObjectNode state = row.putObject("checkpoint_after_delivery");
                    state.put("id", r.state.checkpointId());
                    state.put("state_size_bytes", r.state.stateBytes());
                    state.put("checkpointed_size_bytes", r.state.checkpointedBytes());
                    ObjectNode byVertex = state.putObject("state_size_bytes_by_vertex");
                    r.state.stateBytesByVertex().forEach(byVertex::put);
                }
            }
            if (rounds > 1) {
                addMedians(table, report.json().putArray("medians"), all);
            }
            addThreads(table, all, rounds);
            table.add("");
            table.add(
                    String.format(
                            Locale.ROOT,
                            "Firehose for the same records: each %.0f-byte record is billed as %d bytes, so $%.3f"
                                    + " per GB ingested becomes **$%.3f per GB delivered** (%.1f× the bytes).",
                            recordBytes,
                            FIREHOSE_BILLING_INCREMENT,
                            firehosePrice,
                            firehosePerGb,
                            (double) firehoseBilledBytes / payloadBytes));
            Result plain = byName(all, "sluice-json");
            Result dedup = byName(all, "sluice-json-dedup");
            if (plain != null && dedup != null && plain.state != null && dedup.state != null) {
                long extra = dedup.state.stateBytes() - plain.state.stateBytes();
                table.add("");
                table.add(
                        String.format(
                                Locale.ROOT,
                                "`dedup`'s state: %,d B more checkpointed state than sluice-json for %,d distinct"
                                        + " keys, **%.1f B per key** in a full snapshot.",
                                extra,
                                records,
                                extra / (double) records));
                report.json().put("dedup_checkpointed_bytes_per_key", extra / (double) records);
            }
            ObjectNode setup = report.json().putObject("setup");
            setup.put("records", records);
            setup.put("rounds", rounds);
            setup.put("warm_up_records", warmUpRecords);
            setup.put("shards", shards);
            setup.put("parallelism", parallelism);
            setup.put("checkpoint_interval_ms", checkpointMs);
            setup.put("average_record_bytes", recordBytes);
            setup.put("put_records_per_s", records / putSeconds);
            setup.put("jvm_heap", LocalPipeline.HEAP);
            setup.put("jfr", jfr);
            setup.put("gzip_level", gzipLevel.isEmpty() ? "default" : gzipLevel);
            setup.put(
                    "pinning",
                    pinning == null
                            ? "none"
                            : "kinesalite on CPU "
                                    + pinning.sourceCpus()
                                    + ", the rest on CPUs "
                                    + pinning.otherCpus());
            ObjectNode prices = report.json().putObject("prices");
            prices.put("msf_usd_per_kpu_hour", kpuPrice);
            prices.put("firehose_usd_per_gb_ingested", firehosePrice);
            prices.put("firehose_usd_per_gb_delivered_for_these_records", firehosePerGb);
            prices.put("region", "us-east-1");
            List<String> notes =
                    List.of(
                            String.format(
                                    Locale.ROOT,
                                    "%,d click events of %.0f bytes on average in %d kinesalite shards, put"
                                            + " beforehand at %,.0f records/s; parallelism %d, checkpoints every %d ms; each contender"
                                            + " in its own JVM (%s) reading the stream from TRIM_HORIZON.",
                                    records,
                                    recordBytes,
                                    shards,
                                    records / putSeconds,
                                    parallelism,
                                    checkpointMs,
                                    LocalPipeline.HEAP),
                            pinning == null
                                    ? "No CPU pinning: the contender and the emulators share every CPU."
                                    : "--pin-source: kinesalite pinned to CPU "
                                            + pinning.sourceCpus()
                                            + "; the contender's JVM, S3Proxy, PostgreSQL and the benchmark"
                                            + " to CPUs "
                                            + pinning.otherCpus()
                                            + " (taskset).",
                            warmUpRecords == 0
                                    ? "No warm-up: each contender's JVM is measured from its start (cold)."
                                    : String.format(
                                            Locale.ROOT,
                                            "--warm-up-records %,d: each contender's JVM first ran the same job on the"
                                                    + " same stream into a table, ledger, S3 prefix and checkpoint directory"
                                                    + " of its own until that many records were delivered, then cancelled it"
                                                    + " and started the measured run (WarmUpFirst); times and whole-run CPU"
                                                    + " count from the measured run's start.",
                                            warmUpRecords),
                            "Delivered means counted by the discarding sink (bare reader) or queryable in PostgreSQL"
                                    + " (Sluice: the ledger's row count, committed with the rows).",
                            "Steady state: from the first sample with ≥10% of the events delivered to the first with ≥90%;"
                                    + " CPU is utime+stime of the contender's JVM over that window, from /proc/<pid>/stat;"
                                    + " 'of it JIT compiler' is the part its C1/C2 compiler threads used"
                                    + " (/proc/<pid>/task/*/stat), a cost of a young JVM rather than of each record,"
                                    + " and 'without JIT' the rest.",
                            String.format(
                                    Locale.ROOT,
                                    "Cost: CPU seconds per GB ÷ 3600 × $%.2f per KPU-hour (1 KPU = 1 vCPU;"
                                            + " us-east-1), i.e. a fully used KPU, without MSF's extra orchestration KPU per"
                                            + " application or its storage; the emulators' CPU stands in for S3 and the warehouse,"
                                            + " which are billed separately either way.",
                                    kpuPrice),
                            "Prices are flags (--kpu-price, --firehose-price); see docs/benchmarks.md for where they come from.",
                            "Checkpointed state: state_size of the first checkpoint completed after every row was queryable,"
                                    + " from the job's REST API (GET /jobs/:id/checkpoints; per vertex in the JSON); the heap"
                                    + " state backend, so full snapshots.");
            Path md = report.write(results, table, notes);
            System.out.println();
            table.forEach(System.out::println);
            say("wrote " + md + " and its .json");
        }
    }

    /** The bare reader's arguments; {@code streamArn} empty for the legacy consumer. */
    private static String[] bareReaderArgs(
            Path consumerFile,
            String stream,
            int parallelism,
            int checkpointMs,
            int restPort,
            Path progress,
            String streamArn) {
        return new String[] {
            "--consumer-properties",
            consumerFile.toString(),
            "--stream",
            stream,
            "--parallelism",
            Integer.toString(parallelism),
            "--checkpoint-interval-ms",
            Integer.toString(checkpointMs),
            "--rest-port",
            Integer.toString(restPort),
            "--progress",
            progress.toString(),
            "--stream-arn",
            streamArn
        };
    }

    /** Records the bare reader has counted, from its progress file ("records bytes"). */
    private static long bareProgress(Path progress) {
        String[] p = LocalPipeline.read(progress).split(" ");
        return p.length == 2 ? Long.parseLong(p[0]) : 0;
    }

    /**
     * {@code --warm-up-records}: a run of the same contender in the same JVM before the measured
     * one ({@link WarmUpFirst}), with its own REST port, its own count of delivered records, and
     * the file that tells the JVM to cancel it and start the measured run.
     */
    record WarmUp(int records, int restPort, Path go, Counter counter, String[] args) {}

    /** One contender's run: what {@link #measure} needs, and how its JVM is forked. */
    private record Contender(
            LocalPipeline stack,
            CpuPinning pinning,
            String name,
            int records,
            int timeoutS,
            int port,
            List<String> jvm) {

        /**
         * Forks {@code mainClass} with {@code args} and measures it until all is delivered; with a
         * {@code warmUp} (else null), the JVM runs that first.
         */
        Result measure(
                int restPort, Counter counter, WarmUp warmUp, String mainClass, String... args)
                throws Exception {
            Starter starter = () -> fork(stack, pinning, name, port, jvm, mainClass, args);
            if (warmUp != null) {
                List<String> wrapped = new ArrayList<>();
                wrapped.addAll(
                        List.of(
                                "--go",
                                warmUp.go().toString(),
                                "--warm-up-rest-port",
                                Integer.toString(warmUp.restPort()),
                                "--main-class",
                                mainClass,
                                "--warm-up"));
                wrapped.addAll(List.of(warmUp.args()));
                wrapped.add("--measured");
                wrapped.addAll(List.of(args));
                String[] forked = wrapped.toArray(String[]::new);
                // Started once the warm-up's REST port, the first one up, is.
                starter =
                        () ->
                                fork(
                                        stack,
                                        pinning,
                                        name,
                                        warmUp.restPort(),
                                        jvm,
                                        WarmUpFirst.class.getName(),
                                        forked);
            }
            return PipelineBenchmark.measure(
                    stack, name, records, timeoutS, restPort, counter, warmUp, starter);
        }
    }

    /**
     * Starts a contender's JVM; with {@code --pin-source} ({@code pinning} not null) on the CPUs
     * kept from the emulator.
     */
    private static ManagedProcess fork(
            LocalPipeline stack,
            CpuPinning pinning,
            String name,
            int port,
            List<String> jvm,
            String mainClass,
            String... args)
            throws Exception {
        ManagedProcess process = stack.fork(name, port, jvm, mainClass, args);
        if (pinning != null) {
            pinning.pinOther(process.pid());
        }
        return process;
    }

    /**
     * Each contender's medians over the rounds: records/s, its ratio to the bare reader of the same
     * round, CPU s per million, and that CPU over the same round's bare reader's.
     */
    private static void addMedians(List<String> table, ArrayNode json, List<Result> all) {
        table.add("");
        table.add(
                "| contender | rounds | records/s (median) | ratio to its bare reader, each round | median ratio "
                        + "| JVM CPU s per M (median) | CPU × its bare reader (median) "
                        + "| without JIT: CPU s per M, × its bare reader (medians) |");
        table.add("|---|---:|---:|---|---:|---:|---:|---:|");
        for (String name : CONTENDERS) {
            List<Double> rates = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Double> cpus = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> cpusWithoutJit = new ArrayList<>();
            List<Double> cpuRatiosWithoutJit = new ArrayList<>();
            for (Result r : all) {
                if (!r.name.equals(name)) {
                    continue;
                }
                Result bare = bareReaderFor(all, name, r.round);
                rates.add(r.rate());
                cpus.add(r.cpuPerMillion());
                cpusWithoutJit.add(r.cpuWithoutJitPerMillion());
                if (bare != null) {
                    ratios.add(r.rate() / bare.rate());
                    cpuRatios.add(r.cpuPerMillion() / bare.cpuPerMillion());
                    cpuRatiosWithoutJit.add(
                            r.cpuWithoutJitPerMillion() / bare.cpuWithoutJitPerMillion());
                }
            }
            if (rates.isEmpty() || ratios.isEmpty()) {
                continue;
            }
            StringBuilder each = new StringBuilder();
            for (double ratio : ratios) {
                each.append(each.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%.2f", ratio));
            }
            table.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %,.0f | %s | **%.2f** | %.1f | %.2f | %.1f, %.2f |",
                            name,
                            rates.size(),
                            BenchmarkReport.median(rates),
                            each,
                            BenchmarkReport.median(ratios),
                            BenchmarkReport.median(cpus),
                            BenchmarkReport.median(cpuRatios),
                            BenchmarkReport.median(cpusWithoutJit),
                            BenchmarkReport.median(cpuRatiosWithoutJit)));
            ObjectNode row = json.addObject();
            row.put("name", name);
            row.put("rounds", rates.size());
            row.put("records_per_s", BenchmarkReport.median(rates));
            ArrayNode eachJson = row.putArray("ratio_to_bare_reader_by_round");
            ratios.forEach(eachJson::add);
            row.put("ratio_to_bare_reader", BenchmarkReport.median(ratios));
            row.put("jvm_cpu_s_per_million_steady", BenchmarkReport.median(cpus));
            row.put("cpu_ratio_to_bare_reader", BenchmarkReport.median(cpuRatios));
            row.put(
                    "jvm_cpu_s_per_million_steady_without_jit",
                    BenchmarkReport.median(cpusWithoutJit));
            row.put(
                    "cpu_ratio_to_bare_reader_without_jit",
                    BenchmarkReport.median(cpuRatiosWithoutJit));
        }
    }

    /** How many thread groups {@link #addThreads} names before it sums the rest. */
    private static final int TOP_THREAD_GROUPS = 8;

    /**
     * Where each contender's JVM CPU went in the steady window, by thread group ({@link
     * ThreadCpu}), largest first: CPU s per million records.
     */
    private static void addThreads(List<String> table, List<Result> all, int rounds) {
        table.add("");
        table.add(
                "| contender | JVM CPU s per M records in the steady window, by thread (names cut to 15"
                        + " characters by the kernel, digits as #), largest first |");
        table.add("|---|---|");
        for (Result r : all) {
            List<Map.Entry<String, Double>> groups = new ArrayList<>(r.windowThreads.entrySet());
            groups.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            StringBuilder cell = new StringBuilder();
            double rest = 0;
            for (int i = 0; i < groups.size(); i++) {
                double perMillion = groups.get(i).getValue() / r.windowRecords * 1e6;
                if (i < TOP_THREAD_GROUPS) {
                    cell.append(cell.length() == 0 ? "" : ", ")
                            .append('`')
                            .append(groups.get(i).getKey().replace("|", "/"))
                            .append("` ")
                            .append(String.format(Locale.ROOT, "%.1f", perMillion));
                } else {
                    rest += perMillion;
                }
            }
            cell.append(String.format(Locale.ROOT, ", the rest %.1f", rest));
            table.add(
                    "| "
                            + (rounds > 1 ? r.name + " (round " + r.round + ")" : r.name)
                            + " | "
                            + cell
                            + " |");
        }
    }

    private static Result byName(List<Result> all, String name) {
        return all.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
    }

    static long roundUp(long bytes, long increment) {
        return (bytes + increment - 1) / increment * increment;
    }

    @FunctionalInterface
    interface Counter {
        long delivered() throws Exception;
    }

    @FunctionalInterface
    interface Starter {
        ManagedProcess start() throws Exception;
    }

    /**
     * Runs one contender until every record is delivered, sampling every 100 ms; then, for a job
     * with a REST port ({@code restPort > 0}), reads the state size of the first checkpoint
     * completed after that (so every record's state is in it) before the JVM ends. With a {@code
     * warmUp} (else null), first waits until the warm-up run has delivered its records and then
     * tells the JVM to go on to the measured run; times and the whole run's CPU count from then.
     */
    static Result measure(
            LocalPipeline stack,
            String name,
            int records,
            int timeoutS,
            int restPort,
            Counter counter,
            WarmUp warmUp,
            Starter starter)
            throws Exception {
        say("running " + name + " (load average " + BenchmarkReport.loadAverage() + ")");
        long t0 = System.nanoTime();
        Result r = new Result(name);
        r.totalRecords = records;
        try (ManagedProcess process = starter.start()) {
            long pid = process.pid();
            ThreadCpu threads = new ThreadCpu(pid);
            if (warmUp != null) {
                long warmUpDeadline = t0 + timeoutS * 1_000_000_000L;
                for (int poll = 0; warmUp.counter().delivered() < warmUp.records(); poll++) {
                    if (!process.isAlive() || System.nanoTime() > warmUpDeadline) {
                        throw new IllegalStateException(
                                name
                                        + ": warm-up of "
                                        + warmUp.records()
                                        + " records not delivered; log "
                                        + process.logFile()
                                        + "\n"
                                        + process.logTail());
                    }
                    if (poll % 10 == 0) {
                        threads.sample();
                    }
                    Thread.sleep(100);
                }
                r.warmUpSeconds = (System.nanoTime() - t0) / 1e9;
                r.warmUpCpu = ProcessCpu.seconds(pid);
                r.warmUpJitCpu = ThreadCpu.compilerSeconds(threads.sample());
                Files.createFile(warmUp.go());
                say(
                        String.format(
                                Locale.ROOT,
                                "%s: warm-up of %,d records delivered after %.1f s (%.1f CPU s, %.1f of"
                                        + " it the JIT compiler); measured run starts",
                                name,
                                warmUp.records(),
                                r.warmUpSeconds,
                                r.warmUpCpu,
                                r.warmUpJitCpu));
                t0 = System.nanoTime();
            }
            long deadline = t0 + timeoutS * 1_000_000_000L;
            long at10 = -1;
            long n10 = 0;
            double cpu10 = 0;
            Map<String, Double> threads10 = Map.of();
            Map<String, Double> emu10 = null;
            for (int poll = 0; ; poll++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            name + " exited; log " + process.logFile() + "\n" + process.logTail());
                }
                if (poll % 10 == 0) {
                    threads.sample();
                }
                long n = counter.delivered();
                long now = System.nanoTime();
                if (n > 0 && r.firstSeconds == 0) {
                    r.firstSeconds = (now - t0) / 1e9;
                }
                if (at10 < 0 && n >= records / 10) {
                    at10 = now;
                    n10 = n;
                    cpu10 = ProcessCpu.seconds(pid);
                    threads10 = threads.sample();
                    emu10 = stack.emulatorCpu();
                }
                if (at10 >= 0 && r.windowSeconds == 0 && n >= records * 9L / 10) {
                    r.windowSeconds = (now - at10) / 1e9;
                    r.windowRecords = n - n10;
                    r.windowCpu = ProcessCpu.seconds(pid) - cpu10;
                    r.windowThreads = ThreadCpu.delta(threads10, threads.sample());
                    Map<String, Double> emu90 = stack.emulatorCpu();
                    for (Map.Entry<String, Double> e : emu90.entrySet()) {
                        r.emulatorsDelta.put(e.getKey(), e.getValue() - emu10.get(e.getKey()));
                    }
                }
                if (n >= records) {
                    r.allSeconds = (now - t0) / 1e9;
                    r.wholeCpu = ProcessCpu.seconds(pid) - r.warmUpCpu;
                    r.wholeJitCpu = ThreadCpu.compilerSeconds(threads.sample()) - r.warmUpJitCpu;
                    if (restPort > 0) {
                        r.state = stateAfterDelivery(restPort);
                    }
                    break;
                }
                if (now > deadline) {
                    throw new IllegalStateException(
                            name
                                    + ": only "
                                    + n
                                    + " of "
                                    + records
                                    + " delivered after "
                                    + timeoutS
                                    + " s; log "
                                    + process.logFile());
                }
                Thread.sleep(100);
            }
        }
        return r;
    }

    /** The first checkpoint completed after now (within 30 s), else the latest one. */
    private static CheckpointedState stateAfterDelivery(int restPort) throws Exception {
        CheckpointedState before = CheckpointedState.latest(restPort);
        long deadline = System.nanoTime() + 30_000_000_000L;
        CheckpointedState latest = before;
        while (System.nanoTime() < deadline) {
            latest = CheckpointedState.latest(restPort);
            if (latest != null
                    && (before == null || latest.checkpointId() > before.checkpointId())) {
                return latest;
            }
            Thread.sleep(200);
        }
        return latest;
    }

    /** One contender's measurements. */
    static final class Result {
        final String name;
        int round = 1;
        double firstSeconds;
        double allSeconds;
        double windowSeconds;
        long windowRecords;
        double windowCpu;

        /** {@link #windowCpu} by thread group ({@link ThreadCpu}). */
        Map<String, Double> windowThreads = Map.of();

        /** Whole run from the JVM's start, or with a warm-up from the measured run's start. */
        double wholeCpu;

        double wholeJitCpu;

        /** With {@code --warm-up-records}: until the warm-up's records were delivered. */
        double warmUpSeconds;

        double warmUpCpu;
        double warmUpJitCpu;
        long totalRecords;
        CheckpointedState state;
        final Map<String, Double> emulatorsDelta = new java.util.LinkedHashMap<>();

        Result(String name) {
            this.name = name;
        }

        double rate() {
            return windowRecords / windowSeconds;
        }

        double cpuPerMillion() {
            return windowCpu / windowRecords * 1e6;
        }

        /** The JIT compiler's share of {@link #cpuPerMillion}. */
        double jitPerMillion() {
            return ThreadCpu.compilerSeconds(windowThreads) / windowRecords * 1e6;
        }

        /** {@link #cpuPerMillion} without the JIT compiler: what a warmed-up JVM would spend. */
        double cpuWithoutJitPerMillion() {
            return cpuPerMillion() - jitPerMillion();
        }

        double cpuWholePerMillion() {
            return wholeCpu / totalRecords * 1e6;
        }

        double emulatorPerMillion(String emulator) {
            return emulatorsDelta.getOrDefault(emulator, Double.NaN) / windowRecords * 1e6;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s: %,.0f records/s between 10%% and 90%% (%,d records in %.1f s), first after %.1f s,"
                            + " all after %.1f s, JVM CPU %.1f s per million (steady; %.1f of it the JIT compiler),"
                            + " emulators %s s over the window",
                    name,
                    rate(),
                    windowRecords,
                    windowSeconds,
                    firstSeconds,
                    allSeconds,
                    cpuPerMillion(),
                    jitPerMillion(),
                    emulatorsDelta);
        }
    }
}
