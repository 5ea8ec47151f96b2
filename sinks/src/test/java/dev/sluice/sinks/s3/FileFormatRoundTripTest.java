package dev.sluice.sinks.s3;

import dev.sluice.localstack.S3ProxyExtension;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.FormatConversionException;
import dev.sluice.sinks.s3.format.OutputFormat;
import dev.sluice.sinks.s3.format.ParquetTestFiles;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every format with every compression it allows, in a real bounded job against S3Proxy: records go
 * through {@link OutputRowFunction} into {@link OutputFileSinks#forRows}, and the committed objects
 * are read back with standard readers (GZIP, an RFC 4180 parse, parquet-avro's reader). Each
 * delivered record must be in the files exactly once, with its values; each record the format
 * cannot hold must be on the format-conversion-failed side output instead.
 */
class FileFormatRoundTripTest {

    private static final int RECORDS = 200;
    private static final String BUCKET = "formats";
    private static final String TIMESTAMP = "2026-11-22T08:00:00.123Z";
    private static final String DAY = "2026-11-22";
    private static final List<String> CSV_COLUMNS =
            List.of("id", "NAME", "score", "absent", "tags");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

    @BeforeAll
    static void connectFlinkToS3Proxy() {
        S3ProxyFileSystems.initialize(S3);
        S3.createBucket(BUCKET);
    }

    static Stream<Arguments> formats() {
        String schema = FileFormat.readAvroSchema(schemaFile());
        return Stream.of(
                Arguments.of(FileFormat.json(Compression.GZIP), ".json.gz"),
                Arguments.of(FileFormat.json(Compression.NONE), ".json"),
                Arguments.of(FileFormat.csv(CSV_COLUMNS, Compression.GZIP), ".csv.gz"),
                Arguments.of(FileFormat.csv(CSV_COLUMNS, Compression.NONE), ".csv"),
                Arguments.of(FileFormat.parquet(schema, Compression.SNAPPY), ".parquet"),
                Arguments.of(FileFormat.parquet(schema, Compression.ZSTD), ".parquet"),
                Arguments.of(FileFormat.parquet(schema, Compression.NONE), ".parquet"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void everyDeliveredRecordIsReadBackOnceAndEveryUnconvertibleOneIsDiverted(
            FileFormat format, String suffix) throws Exception {
        String root = "out/" + format.toString().replace('+', '-').toLowerCase() + "/";
        List<FailedRecord> failed = run(format, root);

        List<String> keys = S3.listKeys(BUCKET, root);
        assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k).endsWith(suffix));
        List<byte[]> files =
                keys.stream().map(k -> S3.getObject(BUCKET, k)).collect(Collectors.toList());

        boolean validates = format.format() != OutputFormat.JSON;
        List<Long> expectedIds = new ArrayList<>();
        List<String> expectedFailures = new ArrayList<>();
        for (long id = 1; id <= RECORDS; id++) {
            if (validates && isUnconvertible(id)) {
                expectedFailures.add(payload(id));
            } else {
                expectedIds.add(id);
            }
        }
        assertThat(failed)
                .allSatisfy(
                        f -> {
                            assertThat(f.getErrorCode())
                                    .isEqualTo(FormatConversionException.ERROR_CODE);
                            assertThat(f.getErrorMessage())
                                    .isEqualTo("expected a JSON object, found a string");
                        });
        assertThat(failed.stream().map(f -> new String(f.getRawData(), StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrderElementsOf(expectedFailures);

        switch (format.format()) {
            case JSON:
                List<String> lines = new ArrayList<>();
                for (byte[] file : files) {
                    lines.addAll(
                            text(file, format.compression()).lines().collect(Collectors.toList()));
                }
                assertThat(lines)
                        .containsExactlyInAnyOrderElementsOf(
                                expectedIds.stream()
                                        .map(FileFormatRoundTripTest::payload)
                                        .collect(Collectors.toList()));
                break;
            case CSV:
                List<List<String>> rows = new ArrayList<>();
                for (byte[] file : files) {
                    rows.addAll(parseCsv(text(file, format.compression())));
                }
                assertThat(rows)
                        .containsExactlyInAnyOrderElementsOf(
                                expectedIds.stream()
                                        .map(FileFormatRoundTripTest::csvRow)
                                        .collect(Collectors.toList()));
                break;
            case PARQUET:
                List<String> records = new ArrayList<>();
                for (byte[] file : files) {
                    assertThat(ParquetTestFiles.codecs(file))
                            .containsExactly(expectedCodec(format.compression()));
                    for (GenericRecord r : ParquetTestFiles.records(file)) {
                        records.add(describe(r));
                    }
                }
                assertThat(records)
                        .containsExactlyInAnyOrderElementsOf(
                                expectedIds.stream()
                                        .map(FileFormatRoundTripTest::parquetRow)
                                        .collect(Collectors.toList()));
                break;
            default:
                throw new AssertionError(format);
        }
    }

    private static List<FailedRecord> run(FileFormat format, String root) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.enableCheckpointing(1_000);
        List<SluiceRecord> input = new ArrayList<>();
        for (long id = 1; id <= RECORDS; id++) {
            input.add(
                    new SluiceRecord(
                            payload(id).getBytes(StandardCharsets.UTF_8),
                            "stream",
                            "shardId-000000000000",
                            "key-" + id,
                            Long.toString(id),
                            Instant.parse(TIMESTAMP).toEpochMilli()));
        }
        OutputRowFunction rows =
                new OutputRowFunction("test", PrefixTemplate.parse(root), format.encoder());
        SingleOutputStreamOperator<StagedRow> staged =
                env.fromCollection(input, SluiceRecord.TYPE_INFO)
                        .process(rows)
                        .returns(StagedRow.TYPE_INFO);
        staged.sinkTo(
                OutputFileSinks.forRows(
                        "s3://" + BUCKET, root, format, BufferingHints.of(1), "sluice"));
        List<FailedRecord> failed = new ArrayList<>();
        try (CloseableIterator<FailedRecord> it =
                staged.getSideOutput(rows.formatConversionFailed()).executeAndCollect()) {
            it.forEachRemaining(failed::add);
        }
        return failed;
    }

    /** Every 25th record is a JSON string, not an object: valid JSON lines, not CSV or Parquet. */
    private static boolean isUnconvertible(long id) {
        return id % 25 == 0;
    }

    /** Keys in another case than the columns and fields; every 10th without name and tags. */
    private static String payload(long id) {
        if (isUnconvertible(id)) {
            return "\"not an object " + id + "\"";
        }
        boolean sparse = id % 10 == 0;
        return "{\"ID\":"
                + id
                + ",\"Name\":"
                + (sparse ? "null" : "\"user \\\"" + id + "\\\", line\\nbreak\"")
                + ",\"score\":"
                + id
                + ".25,\"ts\":\""
                + TIMESTAMP
                + "\",\"day\":\""
                + DAY
                + "\""
                + (sparse ? "" : ",\"tags\":[\"a\",\"b\"]")
                + ",\"extra\":{\"x\":1}}";
    }

    private static List<String> csvRow(long id) {
        boolean sparse = id % 10 == 0;
        return Arrays.asList(
                Long.toString(id),
                sparse ? null : "user \"" + id + "\", line\nbreak",
                id + ".25",
                null,
                sparse ? null : "[\"a\",\"b\"]");
    }

    private static String parquetRow(long id) {
        boolean sparse = id % 10 == 0;
        return id
                + "|"
                + (sparse ? null : "user \"" + id + "\", line\nbreak")
                + "|"
                + id
                + ".25|"
                + Instant.parse(TIMESTAMP).toEpochMilli()
                + "|"
                + LocalDate.parse(DAY).toEpochDay()
                + "|"
                + (sparse ? null : "[a, b]");
    }

    private static String describe(GenericRecord r) {
        Schema scoreType = r.getSchema().getField("score").schema().getTypes().get(1);
        BigDecimal score =
                new Conversions.DecimalConversion()
                        .fromBytes(
                                (ByteBuffer) r.get("score"), scoreType, LogicalTypes.decimal(9, 2));
        return r.get("id")
                + "|"
                + Objects.toString(r.get("name"), null)
                + "|"
                + score
                + "|"
                + r.get("ts")
                + "|"
                + r.get("day")
                + "|"
                + Objects.toString(r.get("tags"), null);
    }

    private static CompressionCodecName expectedCodec(Compression compression) {
        switch (compression) {
            case SNAPPY:
                return CompressionCodecName.SNAPPY;
            case ZSTD:
                return CompressionCodecName.ZSTD;
            default:
                return CompressionCodecName.UNCOMPRESSED;
        }
    }

    private static String text(byte[] file, Compression compression) throws IOException {
        try (InputStream in =
                compression == Compression.GZIP
                        ? new GZIPInputStream(new ByteArrayInputStream(file))
                        : new ByteArrayInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * RFC 4180 as PostgreSQL reads it: quoted fields may hold commas, doubled quotes and line
     * breaks; the unquoted marker {@code \\N} is NULL (null here), {@code ""} the empty string.
     */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean inQuotes = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inQuotes) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    inQuotes = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                inQuotes = true;
                quoted = true;
            } else if (c == ',' || c == '\n') {
                row.add(!quoted && field.toString().equals("\\N") ? null : field.toString());
                field.setLength(0);
                quoted = false;
                if (c == '\n') {
                    rows.add(row);
                    row = new ArrayList<>();
                }
            } else {
                field.append(c);
            }
        }
        assertThat(row).as("the last row ends with a line break").isEmpty();
        return rows;
    }

    private static Path schemaFile() {
        try {
            return Path.of(
                    FileFormatRoundTripTest.class.getResource("/formats/event.avsc").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
