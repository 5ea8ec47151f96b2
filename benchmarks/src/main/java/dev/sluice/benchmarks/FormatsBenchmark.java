package dev.sluice.benchmarks;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.sinks.s3.BufferingHints;
import dev.sluice.sinks.s3.OutputFileSinks;
import dev.sluice.sinks.s3.OutputRowFunction;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.formats.parquet.avro.AvroParquetWriters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static dev.sluice.benchmarks.BenchmarkCli.deleteRecursively;
import static dev.sluice.benchmarks.BenchmarkCli.intFlag;
import static dev.sluice.benchmarks.BenchmarkCli.say;
import static dev.sluice.benchmarks.BenchmarkCli.stringFlag;

/**
 * {@code ./sluice benchmark formats}: how fast Sluice's S3 outputs turn JSON records into files of
 * each format and compression, next to what a Flink user would write by hand: {@code FileSink} with
 * {@code SimpleStringEncoder} for JSON lines, and flink-parquet's {@code
 * AvroParquetWriters.forGenericRecord} fed GenericRecords that are already built (so it pays for no
 * JSON parsing at all: the floor Sluice's conversion is measured against).
 *
 * <p>Every contender is the same bounded streaming job on a MiniCluster with parallelism 2 and
 * checkpoints every {@link #CHECKPOINT_INTERVAL_MS} ms, writing to a local temporary directory, so
 * the format path is measured rather than S3. Rows are generated in the job from their index (the
 * same rows for every contender); rows/s and input MB/s use the job's net runtime, median of {@code
 * --rounds} after {@code --warmup} unmeasured rounds (the JIT compiles each contender's path in its
 * first round). After each round the rows in the files are counted, so a contender that loses rows
 * fails the run instead of winning it.
 */
public final class FormatsBenchmark {

    static final long CHECKPOINT_INTERVAL_MS = 5_000;

    static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                    + "{\"name\":\"event_id\",\"type\":\"string\"},"
                    + "{\"name\":\"user_id\",\"type\":\"string\"},"
                    + "{\"name\":\"event_type\",\"type\":\"string\"},"
                    + "{\"name\":\"page_url\",\"type\":\"string\"},"
                    + "{\"name\":\"event_timestamp\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                    + "{\"name\":\"user_agent\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    private static final List<String> COLUMNS = List.of(BenchmarkData.COLUMNS);

    private FormatsBenchmark() {}

    /** One way of writing the rows: a job writing into {@code dir}, and how to count its rows. */
    private interface Writer {
        void addTo(StreamExecutionEnvironment env, long rows, Path dir);
    }

    private record Contender(String name, String notes, Writer writer, RowCounter counter) {}

    private interface RowCounter {
        long count(Path file) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int rows = intFlag(args, "--rows", 500_000);
        int rounds = intFlag(args, "--rounds", 3);
        int warmups = intFlag(args, "--warmup", 1);
        int parallelism = intFlag(args, "--parallelism", 2);
        String only = stringFlag(args, "--only", "").toLowerCase(Locale.ROOT);
        Path results =
                Path.of(stringFlag(args, "--results", "benchmarks/results")).toAbsolutePath();
        BenchmarkReport report = new BenchmarkReport("formats", args);
        Path workDir = Files.createTempDirectory("sluice-formats-bench-");

        long jsonBytes = 0;
        for (long i = 1; i <= rows; i++) {
            jsonBytes += json(i).length + 1;
        }
        say(
                String.format(
                        Locale.ROOT,
                        "%,d rows, %.1f MB of JSON lines, under %s",
                        rows,
                        jsonBytes / 1e6,
                        workDir));

        List<String> lines = new ArrayList<>();
        lines.add(
                "| output | rows/s (median of "
                        + rounds
                        + ") | MB/s of JSON in | MB of files out"
                        + " | notes |");
        lines.add("|---|---:|---:|---:|---|");
        for (Contender contender : contenders()) {
            if (!contender.name().toLowerCase(Locale.ROOT).contains(only)) {
                continue;
            }
            List<Double> seconds = new ArrayList<>();
            long outBytes = 0;
            for (int r = 1 - warmups; r <= rounds; r++) {
                Path dir =
                        workDir.resolve(
                                contender.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + r);
                // A failing contender fails the run instead of restarting forever.
                Configuration noRestarts = new Configuration();
                noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment(noRestarts);
                env.setParallelism(parallelism);
                env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
                env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
                contender.writer().addTo(env, rows, dir);
                double elapsed = env.execute(contender.name()).getNetRuntime() / 1e3;

                List<Path> files = finishedFiles(dir);
                long written = 0;
                outBytes = 0;
                for (Path file : files) {
                    written += contender.counter().count(file);
                    outBytes += Files.size(file);
                }
                if (written != rows) {
                    throw new IllegalStateException(
                            contender.name() + " wrote " + written + " of " + rows + " rows");
                }
                say(
                        String.format(
                                Locale.ROOT,
                                "%s %s: %.2f s, %,.0f rows/s, %d files",
                                contender.name(),
                                r < 1 ? "warm-up" : "round " + r,
                                elapsed,
                                rows / elapsed,
                                files.size()));
                if (r >= 1) {
                    seconds.add(elapsed);
                }
                deleteRecursively(dir);
            }
            report.addRounds(contender.name(), seconds, rows, jsonBytes)
                    .put("mb_of_files", outBytes / 1e6);
            double median = BenchmarkReport.median(seconds);
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,.0f | %.1f | %.1f | %s |",
                            contender.name(),
                            rows / median,
                            jsonBytes / median / 1e6,
                            outBytes / 1e6,
                            contender.notes()));
        }
        System.out.println();
        System.out.printf(
                "%,d rows (%.1f MB of JSON), parallelism %d, %d cores, Java %s%n",
                rows,
                jsonBytes / 1e6,
                parallelism,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        lines.forEach(System.out::println);
        ObjectNode setup = report.json().putObject("setup");
        setup.put("rows", rows);
        setup.put("rounds", rounds);
        setup.put("warmups", warmups);
        setup.put("parallelism", parallelism);
        setup.put("json_mb", jsonBytes / 1e6);
        Path md =
                report.write(
                        results,
                        lines,
                        List.of(
                                String.format(
                                        Locale.ROOT,
                                        "%,d click events (%.1f MB of JSON lines), parallelism %d, a bounded"
                                                + " streaming job per round on a local MiniCluster writing to a"
                                                + " local directory; %d warm-up round(s), then the median of %d"
                                                + " (job net runtime); each round's files are counted and must"
                                                + " hold every row.",
                                        rows,
                                        jsonBytes / 1e6,
                                        parallelism,
                                        warmups,
                                        rounds)));
        say("wrote " + md + " and its .json");
        deleteRecursively(workDir);
    }

    private static List<Contender> contenders() {
        String schema = SCHEMA;
        List<Contender> all = new ArrayList<>();
        all.add(
                sluice(
                        FileFormat.json(Compression.GZIP),
                        "JSON lines",
                        FormatsBenchmark::countLines));
        all.add(
                sluice(
                        FileFormat.json(Compression.NONE),
                        "JSON lines",
                        FormatsBenchmark::countLines));
        all.add(
                new Contender(
                        "Flink FileSink + SimpleStringEncoder",
                        "JSON lines, no compression",
                        FormatsBenchmark::simpleStringSink,
                        FormatsBenchmark::countLines));
        all.add(
                sluice(
                        FileFormat.csv(COLUMNS, Compression.GZIP),
                        "JSON → CSV",
                        FormatsBenchmark::countLines));
        all.add(
                sluice(
                        FileFormat.csv(COLUMNS, Compression.NONE),
                        "JSON → CSV",
                        FormatsBenchmark::countLines));
        all.add(
                sluice(
                        FileFormat.parquet(schema, Compression.SNAPPY),
                        "JSON → Avro → Parquet",
                        ParquetRowCount::of));
        all.add(
                sluice(
                        FileFormat.parquet(schema, Compression.ZSTD),
                        "JSON → Avro → Parquet",
                        ParquetRowCount::of));
        all.add(
                sluice(
                        FileFormat.parquet(schema, Compression.NONE),
                        "JSON → Avro → Parquet",
                        ParquetRowCount::of));
        all.add(
                new Contender(
                        "flink-parquet AvroParquetWriters.forGenericRecord",
                        "GenericRecords built directly (no JSON), uncompressed",
                        FormatsBenchmark::genericRecordParquetSink,
                        ParquetRowCount::of));
        return all;
    }

    private static Contender sluice(FileFormat format, String notes, RowCounter counter) {
        return new Contender(
                "Sluice " + format.format() + " " + format.compression(),
                notes,
                (env, rows, dir) -> {
                    OutputRowFunction encode =
                            new OutputRowFunction(
                                    "bench", PrefixTemplate.parse("out/"), format.encoder());
                    env.fromSequence(1, rows)
                            .map(FormatsBenchmark::record)
                            .returns(SluiceRecord.TYPE_INFO)
                            .process(encode)
                            .returns(StagedRow.TYPE_INFO)
                            .sinkTo(
                                    OutputFileSinks.forRows(
                                            dir.toUri().toString(),
                                            "out/",
                                            format,
                                            BufferingHints.of(128),
                                            "sluice"));
                },
                counter);
    }

    private static void simpleStringSink(StreamExecutionEnvironment env, long rows, Path dir) {
        env.fromSequence(1, rows)
                .map(i -> new String(json(i), StandardCharsets.UTF_8))
                .returns(Types.STRING)
                .sinkTo(
                        FileSink.forRowFormat(
                                        new org.apache.flink.core.fs.Path(dir.toUri()),
                                        new SimpleStringEncoder<String>())
                                .build());
    }

    private static void genericRecordParquetSink(
            StreamExecutionEnvironment env, long rows, Path dir) {
        Schema schema = new Schema.Parser().parse(SCHEMA);
        env.fromSequence(1, rows)
                .map(new GenericRecords())
                .returns(new GenericRecordAvroTypeInfo(schema))
                .sinkTo(
                        FileSink.forBulkFormat(
                                        new org.apache.flink.core.fs.Path(dir.toUri()),
                                        AvroParquetWriters.forGenericRecord(schema))
                                .build());
    }

    /** Row {@code i}'s values, in {@link BenchmarkData#COLUMNS} order: a click event. */
    private static Object[] values(long i) {
        java.util.Random random = new java.util.Random(i);
        return new Object[] {
            new UUID(random.nextLong(), random.nextLong()).toString(),
            "user-" + random.nextInt(10_000),
            EVENT_TYPES[random.nextInt(EVENT_TYPES.length)],
            "https://shop.example.com/products/" + random.nextInt(1_000),
            1_763_800_000_000L + i,
            "Mozilla/5.0 (X11; Linux x86_64) bench/" + random.nextInt(100)
        };
    }

    private static final String[] EVENT_TYPES = {"page_view", "click", "add_to_cart", "purchase"};

    static byte[] json(long i) {
        Object[] v = values(i);
        return ("{\"event_id\":\""
                        + v[0]
                        + "\",\"user_id\":\""
                        + v[1]
                        + "\",\"event_type\":\""
                        + v[2]
                        + "\",\"page_url\":\""
                        + v[3]
                        + "\",\"event_timestamp\":\""
                        + Instant.ofEpochMilli((Long) v[4])
                        + "\",\"user_agent\":\""
                        + v[5]
                        + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static SluiceRecord record(long i) {
        return new SluiceRecord(json(i), "bench", "shardId-0", "pk", Long.toString(i), 0L);
    }

    /** Row {@code i} as the GenericRecord a user of flink-parquet would already have. */
    private static final class GenericRecords extends RichMapFunction<Long, GenericRecord> {
        private transient Schema schema;

        @Override
        public void open(Configuration parameters) {
            schema = new Schema.Parser().parse(SCHEMA);
        }

        @Override
        public GenericRecord map(Long i) {
            Object[] v = values(i);
            GenericData.Record record = new GenericData.Record(schema);
            for (int f = 0; f < v.length; f++) {
                record.put(f, v[f]);
            }
            return record;
        }
    }

    private static long countLines(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in =
                        file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw) {
            byte[] buffer = new byte[65536];
            long lines = 0;
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                for (int b = 0; b < n; b++) {
                    lines += buffer[b] == '\n' ? 1 : 0;
                }
            }
            return lines;
        }
    }

    /** Committed part files: FileSink keeps in-progress ones hidden (a leading dot). */
    private static List<Path> finishedFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
