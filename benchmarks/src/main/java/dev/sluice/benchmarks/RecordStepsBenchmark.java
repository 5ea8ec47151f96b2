package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.time.EventTimeExtractor;
import dev.sluice.operators.time.EventTimeFormat;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.builtin.JsonValidationTransform;
import dev.sluice.sinks.s3.format.ColumnType;
import dev.sluice.sinks.s3.format.ColumnTypes;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.RecordEncoder;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.format.StagedRowSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.sluice.benchmarks.BenchmarkCli.intFlag;
import static dev.sluice.benchmarks.BenchmarkCli.say;
import static dev.sluice.benchmarks.BenchmarkCli.stringFlag;

/**
 * What each per-record step of the job costs on one warm thread, in CPU nanoseconds per record,
 * next to the same step written by hand the way a Flink user would: Jackson's tree model for the
 * JSON steps, Flink's POJO serializer for the hand-off to the staging writer.
 *
 * <p>Why it exists: the pipeline benchmark measures the whole job, but on this project's VM its
 * rounds drift by 10–20 %, and its JVMs are under a minute old (a third of their CPU is the JIT
 * compiler), so a change worth a few percent of a record's cost cannot be seen there. Here every
 * step runs over the same click events ({@link DemoEvents}, as the pipeline benchmark puts them) in
 * one JVM, unmeasured warm-up rounds first, then the steps take turns round by round so that a
 * slower minute of the machine falls on all of them, and each step's median round is reported. CPU
 * time comes from the thread's own clock ({@link ThreadMXBean}), so time the VM gives to other
 * processes is not counted.
 *
 * <p>Not measured here: reading from Kinesis, GZIP and S3 (see the formats and pipeline benchmarks)
 * and the PostgreSQL loader's transcoding (see the loader benchmark).
 */
public final class RecordStepsBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One step over record {@code i}; returns something of the result so none is optimised away.
     */
    @FunctionalInterface
    private interface Step {
        long run(int i) throws Exception;
    }

    /**
     * A step as Sluice does it, and the same step by hand.
     *
     * @param staging the staging format whose path has this step, or null if every path has it
     */
    private record Pair(String name, String notes, String staging, Step sluice, Step byHand) {}

    private RecordStepsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = intFlag(args, "--records", 200_000);
        int rounds = intFlag(args, "--rounds", 7);
        int warmups = intFlag(args, "--warmup", 3);
        Path results =
                Path.of(stringFlag(args, "--results", "benchmarks/results")).toAbsolutePath();
        BenchmarkReport report = new BenchmarkReport("record-steps", args);

        byte[][] payloads = new byte[records][];
        SluiceRecord[] sourceRecords = new SluiceRecord[records];
        StagedRow[] rows = new StagedRow[records];
        DemoEvents events = new DemoEvents(records, 42);
        long payloadBytes = 0;
        for (int i = 0; events.hasNext(); i++) {
            payloads[i] = events.next().json();
            payloadBytes += payloads[i].length;
            sourceRecords[i] =
                    new SluiceRecord(
                            payloads[i],
                            "bench-events",
                            "shardId-00000000000" + (i % 4),
                            "user",
                            // A sequence number of the length Kinesis gives (56 digits).
                            String.format(
                                    Locale.ROOT, "4959033827149025660855969253836157%022d", i),
                            1_764_000_000_000L + i);
            rows[i] = new StagedRow("2026/12/02/15/", payloads[i]).at(sourceRecords[i]);
        }

        List<Pair> pairs = pairs(payloads, sourceRecords, rows);
        Map<String, List<Double>> nanos = new LinkedHashMap<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = -warmups; round < rounds; round++) {
            for (Pair pair : pairs) {
                for (int side = 0; side < 2; side++) {
                    Step step = side == 0 ? pair.sluice() : pair.byHand();
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < records; i++) {
                        sink += step.run(i);
                    }
                    double perRecord =
                            (threads.getCurrentThreadCpuTime() - start) / (double) records;
                    if (round >= 0) {
                        nanos.computeIfAbsent(pair.name() + "/" + side, k -> new ArrayList<>())
                                .add(perRecord);
                    }
                }
            }
            say(
                    (round < 0 ? "warm-up round " + (round + warmups + 1) : "round " + (round + 1))
                            + " done");
        }

        List<String> table = new ArrayList<>();
        table.add(
                "| step | Sluice: CPU ns per record (median) | by hand: CPU ns per record (median) | Sluice ÷ by hand | what by hand means |");
        table.add("|---|---:|---:|---:|---|");
        ArrayNode json = report.json().putArray("steps");
        Map<String, Double> pathTotals = new LinkedHashMap<>();
        pathTotals.put("JSON", 0.0);
        pathTotals.put("CSV", 0.0);
        for (Pair pair : pairs) {
            double sluice = BenchmarkReport.median(nanos.get(pair.name() + "/0"));
            List<Double> byHandRounds = nanos.get(pair.name() + "/1");
            double byHand = BenchmarkReport.median(byHandRounds);
            for (String staging : pathTotals.keySet()) {
                if (pair.staging() == null || pair.staging().equals(staging)) {
                    pathTotals.merge(staging, sluice, Double::sum);
                }
            }
            table.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,.0f | %s | %s | %s |",
                            pair.name(),
                            sluice,
                            String.format(Locale.ROOT, "%,.0f", byHand),
                            String.format(Locale.ROOT, "%.2f", sluice / byHand),
                            pair.notes()));
            ObjectNode row = json.addObject();
            row.put("step", pair.name());
            row.putPOJO("sluice_cpu_ns_per_record_by_round", nanos.get(pair.name() + "/0"));
            row.put("sluice_cpu_ns_per_record", sluice);
            row.putPOJO("by_hand_cpu_ns_per_record_by_round", byHandRounds);
            row.put("by_hand_cpu_ns_per_record", byHand);
        }
        table.add("");
        pathTotals.forEach(
                (staging, total) -> {
                    table.add(
                            String.format(
                                    Locale.ROOT,
                                    "- %s staging, every step above on its path: **%,.0f CPU ns per record**"
                                            + " (%.1f CPU s per million records).",
                                    staging,
                                    total,
                                    total / 1e3));
                    report.json()
                            .put(
                                    "sluice_cpu_ns_per_record_"
                                            + staging.toLowerCase(Locale.ROOT)
                                            + "_path",
                                    total);
                });
        ObjectNode setup = report.json().putObject("setup");
        setup.put("records", records);
        setup.put("rounds", rounds);
        setup.put("warmups", warmups);
        setup.put("average_record_bytes", payloadBytes / (double) records);
        setup.put("checksum", sink);
        Path md =
                report.write(
                        results,
                        table,
                        List.of(
                                String.format(
                                        Locale.ROOT,
                                        "%,d click events of %.0f bytes on average (DemoEvents, seed 42), one"
                                                + " thread; %d warm-up rounds, then the median of %d rounds,"
                                                + " the steps taking turns within each round; CPU time of the"
                                                + " benchmark's thread (ThreadMXBean).",
                                        records,
                                        payloadBytes / (double) records,
                                        warmups,
                                        rounds)));
        System.out.println();
        table.forEach(System.out::println);
        say("wrote " + md + " and its .json");
    }

    private static List<Pair> pairs(byte[][] payloads, SluiceRecord[] records, StagedRow[] rows)
            throws Exception {
        List<String> columns = Arrays.asList(DemoEvents.COLUMNS.split(","));
        ColumnTypes types = demoTableTypes();
        EventTimeExtractor eventTime =
                new EventTimeExtractor("event_timestamp", EventTimeFormat.AUTO);
        JsonValidationTransform jsonCheck = new JsonValidationTransform();
        RecordEncoder jsonLine = FileFormat.json(Compression.GZIP).encoder().typed(types);
        RecordEncoder csvRow = FileFormat.csv(columns, Compression.GZIP).encoder().typed(types);
        TypeSerializer<StagedRow> pojo = pojoSerializer();
        DataOutputSerializer out = new DataOutputSerializer(1024);
        DataInputDeserializer in = new DataInputDeserializer();

        List<Pair> pairs = new ArrayList<>();
        pairs.add(
                new Pair(
                        "event time from `event_timestamp`",
                        "Jackson tree, `Instant.parse` of the field",
                        null,
                        i -> eventTime.extract(payloads[i]),
                        i ->
                                Instant.parse(
                                                MAPPER.readTree(payloads[i])
                                                        .get("event_timestamp")
                                                        .asText())
                                        .toEpochMilli()));
        pairs.add(
                new Pair(
                        "`json` check (one JSON object)",
                        "Jackson tree, `isObject()`",
                        null,
                        i -> jsonCheck.transform(records[i]) instanceof TransformResult.Ok ? 1 : 0,
                        i -> MAPPER.readTree(payloads[i]).isObject() ? 1 : 0));
        pairs.add(
                new Pair(
                        "typed JSON line (JSON staging)",
                        "Jackson tree written back, no type checks",
                        "JSON",
                        i -> jsonLine.encode(payloads[i]).length,
                        i -> MAPPER.writeValueAsBytes(MAPPER.readTree(payloads[i])).length));
        pairs.add(
                new Pair(
                        "typed CSV row (CSV staging)",
                        "Jackson tree, each column's text quoted, no type checks",
                        "CSV",
                        i -> csvRow.encode(payloads[i]).length,
                        i -> csvByHand(MAPPER.readTree(payloads[i]), columns).length));
        pairs.add(
                new Pair(
                        "staged row to the writer and back",
                        "Flink's POJO serializer for the same class",
                        null,
                        i -> roundTrip(StagedRowSerializer.INSTANCE, rows[i], out, in),
                        i -> roundTrip(pojo, rows[i], out, in)));
        return pairs;
    }

    /** The demo table's columns as the loader reads them from PostgreSQL's catalog. */
    private static ColumnTypes demoTableTypes() {
        List<ColumnType> columns =
                List.of(
                        ColumnType.fromCatalog(
                                "event_id", "character varying", 64, null, null, false),
                        ColumnType.fromCatalog(
                                "user_id", "character varying", 64, null, null, false),
                        ColumnType.fromCatalog(
                                "event_type", "character varying", 32, null, null, false),
                        ColumnType.fromCatalog(
                                "page_url", "character varying", 512, null, null, false),
                        ColumnType.fromCatalog(
                                "event_timestamp",
                                "timestamp without time zone",
                                null,
                                null,
                                null,
                                false),
                        ColumnType.fromCatalog(
                                "user_agent", "character varying", 512, null, null, false));
        return new ColumnTypes(columns, false, false, true);
    }

    /**
     * Flink's POJO serializer for {@link StagedRow}, which its {@code @TypeInfo} no longer picks.
     */
    private static TypeSerializer<StagedRow> pojoSerializer() {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        fields.put("bucket", Types.STRING);
        fields.put("bytes", Types.PRIMITIVE_ARRAY(Types.BYTE));
        fields.put("stream", Types.STRING);
        fields.put("shardId", Types.STRING);
        fields.put("sequenceNumber", Types.STRING);
        fields.put("subSequenceNumber", Types.LONG);
        fields.put("arrivalMillis", Types.LONG);
        return Types.POJO(StagedRow.class, fields).createSerializer(new SerializerConfigImpl());
    }

    private static long roundTrip(
            TypeSerializer<StagedRow> serializer,
            StagedRow row,
            DataOutputSerializer out,
            DataInputDeserializer in)
            throws Exception {
        out.clear();
        serializer.serialize(row, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return serializer.deserialize(in).getBytes().length;
    }

    private static byte[] csvByHand(JsonNode tree, List<String> columns) {
        StringBuilder line = new StringBuilder(256);
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                line.append(',');
            }
            JsonNode value = tree.get(columns.get(c));
            if (value != null && !value.isNull()) {
                line.append('"').append(value.asText().replace("\"", "\"\"")).append('"');
            }
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }
}
