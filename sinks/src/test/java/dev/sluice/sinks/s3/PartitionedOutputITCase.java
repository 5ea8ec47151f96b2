package dev.sluice.sinks.s3;

import dev.sluice.localstack.S3ProxyExtension;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.prefix.PartitioningException;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;
import dev.sluice.sinks.s3.prefix.PrefixTimeSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partitioned S3 output in a real (bounded) job on S3Proxy: rows land under the directories their
 * payload field and event time name, hostile field values stay inside their directory, and every
 * record is either in exactly one data line or on the partitioning-failed side output.
 */
class PartitionedOutputITCase {

    private static final String BUCKET = "partitions";
    private static final int RECORDS = 3_000;
    private static final String[] TYPES = {"click", "view", "../escape", "a/b"};
    private static final Instant ARRIVAL = Instant.parse("2026-11-22T08:00:00Z");

    @RegisterExtension
    @Order(1)
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = TwoSlotMiniCluster.extension();

    @BeforeAll
    static void pointFlinkAtS3Proxy() {
        S3ProxyFileSystems.initialize(S3);
        S3.createBucket(BUCKET);
    }

    @Test
    void rowsLandUnderTheirEventTypeAndEventDayWithEveryRecordOnce() throws Exception {
        PrefixTemplate prefix =
                PrefixTemplate.parse(
                                "lake/event_type=!{partitionKeyFromQuery:event_type}"
                                        + "/dt=!{timestamp:yyyy-MM-dd}/")
                        .withTimeSource(PrefixTimeSource.EVENT);
        FileFormat format = FileFormat.json();
        OutputRowFunction encode =
                OutputRowFunction.builder("lake", prefix, format.encoder()).build();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.enableCheckpointing(500);
        SingleOutputStreamOperator<StagedRow> rows =
                env.fromSequence(0, RECORDS - 1)
                        .map(PartitionedOutputITCase::record)
                        .returns(SluiceRecord.TYPE_INFO)
                        .process(encode, StagedRow.TYPE_INFO);
        rows.sinkTo(
                OutputFileSinks.forRows(
                        "s3://" + BUCKET, prefix.root(), format, BufferingHints.of(1), "sluice"));
        List<FailedRecord> failed = new ArrayList<>();
        try (CloseableIterator<FailedRecord> it =
                rows.getSideOutput(encode.partitioningFailed()).collectAsync()) {
            env.execute("partitioned output");
            it.forEachRemaining(failed::add);
        }

        ObjectMapper json = new ObjectMapper();
        List<Long> delivered = new ArrayList<>();
        Set<String> directories = new TreeSet<>();
        List<String> keys = S3.listKeys(BUCKET, "lake/");
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            // lake/event_type=<value>/dt=<day>/<file>: a value never adds a directory.
            assertThat(key.chars().filter(c -> c == '/').count()).as(key).isEqualTo(3);
            String directory = key.substring(0, key.lastIndexOf('/') + 1);
            directories.add(directory);
            for (String line : gunzip(S3.getObject(BUCKET, key)).split("\n")) {
                JsonNode row = json.readTree(line);
                long id = row.get("id").asLong();
                assertThat(directory).as("row %s", id).isEqualTo(expectedDirectory(id));
                delivered.add(id);
            }
        }
        assertThat(directories)
                .containsExactlyInAnyOrder(
                        "lake/event_type=click/dt=2026-11-18/",
                        "lake/event_type=click/dt=2026-11-19/",
                        "lake/event_type=click/dt=2026-11-20/",
                        "lake/event_type=view/dt=2026-11-18/",
                        "lake/event_type=view/dt=2026-11-19/",
                        "lake/event_type=view/dt=2026-11-20/",
                        "lake/event_type=%2E.%2Fescape/dt=2026-11-18/",
                        "lake/event_type=%2E.%2Fescape/dt=2026-11-19/",
                        "lake/event_type=%2E.%2Fescape/dt=2026-11-20/",
                        "lake/event_type=a%2Fb/dt=2026-11-18/",
                        "lake/event_type=a%2Fb/dt=2026-11-19/",
                        "lake/event_type=a%2Fb/dt=2026-11-20/");

        Set<Long> failedIds = new HashSet<>();
        for (FailedRecord f : failed) {
            assertThat(f.getErrorCode())
                    .isEqualTo(PartitioningException.METADATA_EXTRACTION_FAILED);
            failedIds.add(json.readTree(f.getRawData()).get("id").asLong());
        }
        assertThat(failedIds).hasSize(failed.size()).allMatch(PartitionedOutputITCase::hasNoType);
        assertThat(new HashSet<>(delivered))
                .hasSize(delivered.size())
                .doesNotContainAnyElementsOf(failedIds);
        assertThat(delivered.size() + failed.size()).isEqualTo(RECORDS);
        assertThat(failed).hasSize(RECORDS / 50);
    }

    private static boolean hasNoType(long id) {
        return id % 50 == 49;
    }

    /** Arrived on the 22nd, happened on the 20th, 19th or 18th: only event time spreads days. */
    private static SluiceRecord record(long id) {
        String type = hasNoType(id) ? "" : ",\"event_type\":\"" + TYPES[(int) (id % 4)] + "\"";
        String payload = "{\"id\":" + id + type + "}";
        SluiceRecord r =
                new SluiceRecord(
                        payload.getBytes(StandardCharsets.UTF_8),
                        "events",
                        "shard-" + (id % 2),
                        "pk",
                        Long.toString(id),
                        ARRIVAL.toEpochMilli());
        r.setEventTimestamp(ARRIVAL.minus(Duration.ofDays(2 + id % 3)).toEpochMilli());
        r.setEventTimeFromPayload(true);
        return r;
    }

    private static String expectedDirectory(long id) {
        String type = new String[] {"click", "view", "%2E.%2Fescape", "a%2Fb"}[(int) (id % 4)];
        return "lake/event_type=" + type + "/dt=2026-11-" + (20 - id % 3) + "/";
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
