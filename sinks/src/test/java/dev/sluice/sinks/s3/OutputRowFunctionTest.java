package dev.sluice.sinks.s3;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.sinks.s3.format.FormatConversionException;
import dev.sluice.sinks.s3.format.JsonLineEncoder;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.prefix.PartitioningException;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;
import dev.sluice.sinks.s3.prefix.PrefixTimeSource;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OutputRowFunction} in a one-input harness: where rows go by time and partition keys, and
 * which records leave through the partitioning-failed side output, each exactly once.
 */
class OutputRowFunctionTest {

    private static final long ARRIVAL = Instant.parse("2026-11-22T08:30:00Z").toEpochMilli();
    private static final long EVENT = Instant.parse("2026-11-19T23:10:00Z").toEpochMilli();

    private OutputRowFunction function;
    private OneInputStreamOperatorTestHarness<SluiceRecord, StagedRow> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void timestampsPlaceRowsByArrivalTimeByDefaultAndByEventTimeOnRequest() throws Exception {
        PrefixTemplate prefix = PrefixTemplate.parse("p/!{timestamp:yyyy/MM/dd/HH}/");
        open(OutputRowFunction.builder("data", prefix, new JsonLineEncoder()).build());
        harness.processElement(record("{\"id\":1}"), 0);
        close();
        open(
                OutputRowFunction.builder(
                                "data",
                                prefix.withTimeSource(PrefixTimeSource.EVENT),
                                new JsonLineEncoder())
                        .build());
        SluiceRecord record = record("{\"id\":1}");
        record.setEventTimestamp(EVENT);
        harness.processElement(record, 0);

        assertThat(rows()).extracting(StagedRow::getBucket).containsExactly("2026/11/19/23/");
    }

    @Test
    void theDefaultTimeSourceIsArrival() throws Exception {
        open(
                new OutputRowFunction(
                        "data",
                        PrefixTemplate.parse("p/!{timestamp:yyyy/MM/dd/HH}/"),
                        new JsonLineEncoder()));
        harness.processElement(record("{\"id\":1}"), 0);

        assertThat(rows()).extracting(StagedRow::getBucket).containsExactly("2026/11/22/08/");
        assertThat(function.maxOpenPartitions())
                .isEqualTo(OutputRowFunction.DEFAULT_MAX_OPEN_PARTITIONS)
                .isEqualTo(500);
    }

    @Test
    void queryAndLambdaKeysPlaceRowsAndTheEncodedBytesAreKept() throws Exception {
        open(
                partitioned(
                        "lake/type=!{partitionKeyFromQuery:event_type}/"
                                + "tenant=!{partitionKeyFromLambda:tenant}/",
                        10));
        SluiceRecord click = record("{\"event_type\":\"click\",\"n\":1}", "tenant", "acme");
        SluiceRecord hostile = record("{\"event_type\":\"../../x\",\"n\":2}", "tenant", "a/b");
        harness.processElement(click, 0);
        harness.processElement(hostile, 0);

        assertThat(rows())
                .containsExactly(
                        new StagedRow("type=click/tenant=acme/", click.getData()),
                        new StagedRow("type=%2E.%2F..%2Fx/tenant=a%2Fb/", hostile.getData()));
        assertThat(failed(function.partitioningFailed())).isEmpty();
    }

    @Test
    void aRecordWithoutItsPartitionKeyGoesToPartitioningFailedWithItsOriginalBytes()
            throws Exception {
        open(partitioned("lake/!{partitionKeyFromQuery:customer.id}/", 10));
        SluiceRecord missing = record("{\"customer\":{\"name\":\"Ada\"}}");
        missing.setEventTimestamp(EVENT);
        harness.processElement(missing, 0);

        assertThat(rows()).isEmpty();
        List<FailedRecord> failed = failed(function.partitioningFailed());
        assertThat(failed).hasSize(1);
        FailedRecord f = failed.get(0);
        assertThat(f.getRawData()).isEqualTo(missing.getData());
        assertThat(f.getErrorCode()).isEqualTo("DynamicPartitioning.MetadataExtractionFailed");
        assertThat(f.getErrorMessage())
                .isEqualTo(
                        "!{partitionKeyFromQuery:customer.id}: the payload has no field"
                                + " 'customer.id'")
                .doesNotContain("Ada");
        assertThat(f.getRecord().getSequenceNumber()).isEqualTo(missing.getSequenceNumber());
        assertThat(f.getRecord().getEventTimestamp()).isEqualTo(EVENT);
        assertThat(failed(function.formatConversionFailed())).isEmpty();
    }

    @Test
    void aRecordOpeningOnePartitionTooManyIsRefusedWhileOpenPartitionsStillTakeRows()
            throws Exception {
        open(partitioned("lake/!{partitionKeyFromQuery:k}/", 2));
        harness.processElement(record("{\"k\":\"a\"}"), 0);
        harness.processElement(record("{\"k\":\"b\"}"), 0);
        SluiceRecord third = record("{\"k\":\"c\"}");
        harness.processElement(third, 0);
        harness.processElement(record("{\"k\":\"a\"}"), 0);
        harness.processElement(record("{\"k\":\"d\"}"), 0);

        assertThat(rows()).extracting(StagedRow::getBucket).containsExactly("a/", "b/", "a/");
        List<FailedRecord> failed = failed(function.partitioningFailed());
        assertThat(failed).hasSize(2);
        assertThat(failed.get(0).getRawData()).isEqualTo(third.getData());
        assertThat(failed)
                .allSatisfy(
                        f -> {
                            assertThat(f.getErrorCode())
                                    .isEqualTo("DynamicPartitioning.PartitionLimitExceeded");
                            assertThat(f.getErrorMessage())
                                    .contains("output 'data'")
                                    .contains("already has 2 partitions open")
                                    .contains("partitions.max.open");
                        });
        assertThat(function.counts())
                .containsEntry(OutputRowFunction.PARTITION_LIMIT_EXCEEDED_RECORDS, 2L);
    }

    @Test
    void theLimitCountsAgainFromACheckpoint() throws Exception {
        open(partitioned("lake/!{partitionKeyFromQuery:k}/", 1));
        harness.processElement(record("{\"k\":\"a\"}"), 0);
        harness.processElement(record("{\"k\":\"b\"}"), 0);
        harness.snapshot(1L, 1L);
        harness.processElement(record("{\"k\":\"b\"}"), 0);
        harness.processElement(record("{\"k\":\"a\"}"), 0);

        assertThat(rows()).extracting(StagedRow::getBucket).containsExactly("a/", "b/");
        assertThat(failed(function.partitioningFailed()))
                .extracting(f -> new String(f.getRawData(), StandardCharsets.UTF_8))
                .containsExactly("{\"k\":\"b\"}", "{\"k\":\"a\"}");
    }

    @Test
    void aRecordThatCannotBeEncodedOpensNoPartition() throws Exception {
        open(partitioned("lake/!{partitionKeyFromLambda:k}/", 1));
        SluiceRecord empty = record("", "k", "first");
        SluiceRecord good = record("{}", "k", "second");
        harness.processElement(empty, 0);
        harness.processElement(good, 0);

        assertThat(failed(function.formatConversionFailed()))
                .extracting(FailedRecord::getErrorCode)
                .containsExactly(FormatConversionException.ERROR_CODE);
        assertThat(rows()).extracting(StagedRow::getBucket).containsExactly("second/");
        assertThat(failed(function.partitioningFailed())).isEmpty();
    }

    @Test
    void everyRecordLeavesExactlyOnce() throws Exception {
        open(partitioned("lake/!{partitionKeyFromLambda:k}/", 3));
        int records = 0;
        for (int checkpoint = 1; checkpoint <= 3; checkpoint++) {
            for (int i = 0; i < 21; i++) {
                // Every 7th has no key, every 10th cannot be encoded, 5 keys for a limit of 3.
                String payload = i % 10 == 9 ? "" : "{\"i\":" + i + "}";
                harness.processElement(
                        i % 7 == 0
                                ? record(payload)
                                : record(payload, "k", Integer.toString(i % 5)),
                        0);
                records++;
            }
            harness.snapshot(checkpoint, checkpoint);
        }

        List<FailedRecord> partitioning = failed(function.partitioningFailed());
        List<FailedRecord> format = failed(function.formatConversionFailed());
        assertThat(rows().size() + partitioning.size() + format.size()).isEqualTo(records);
        assertThat(format).hasSize(6);
        assertThat(partitioning)
                .extracting(FailedRecord::getErrorCode)
                .containsOnly(
                        PartitioningException.METADATA_EXTRACTION_FAILED,
                        PartitioningException.PARTITION_LIMIT_EXCEEDED)
                .filteredOn(PartitioningException.METADATA_EXTRACTION_FAILED::equals)
                .hasSize(9);
        assertThat(function.counts())
                .containsEntry(OutputRowFunction.DELIVERY_RECORDS, (long) rows().size())
                .containsEntry(
                        OutputRowFunction.DELIVERY_BYTES,
                        rows().stream().mapToLong(r -> r.getBytes().length).sum())
                .containsEntry(OutputRowFunction.FAILED_CONVERSION_RECORDS, 6L)
                .containsEntry(
                        OutputRowFunction.PARTITIONING_FAILED_RECORDS, (long) partitioning.size());
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(
                        () ->
                                OutputRowFunction.builder(
                                                "data",
                                                PrefixTemplate.parse("p/"),
                                                new JsonLineEncoder())
                                        .maxOpenPartitions(0, "partitions.max.open")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions.max.open");
    }

    @Test
    void sideOutputsAreNamedByOutputSoSeveralOutputsCanShareAJob() {
        PrefixTemplate prefix = PrefixTemplate.parse("p/");
        OutputRowFunction a = new OutputRowFunction("a", prefix, new JsonLineEncoder());
        OutputRowFunction b = new OutputRowFunction("b", prefix, new JsonLineEncoder());

        assertThat(a.partitioningFailed().getId()).isEqualTo("partitioning-failed-a");
        assertThat(a.partitioningFailed()).isNotEqualTo(b.partitioningFailed());
        assertThat(a.partitioningFailed()).isNotEqualTo(a.formatConversionFailed());
    }

    private static OutputRowFunction partitioned(String prefix, int maxOpen) {
        return OutputRowFunction.builder(
                        "data", PrefixTemplate.parse(prefix), new JsonLineEncoder())
                .maxOpenPartitions(maxOpen, "partitions.max.open")
                .build();
    }

    private void open(OutputRowFunction f) throws Exception {
        function = f;
        harness = ProcessFunctionTestHarnesses.forProcessFunction(f);
    }

    private List<StagedRow> rows() {
        return harness.extractOutputValues();
    }

    private List<FailedRecord> failed(OutputTag<FailedRecord> tag) {
        List<FailedRecord> out = new ArrayList<>();
        ConcurrentLinkedQueue<StreamRecord<FailedRecord>> side = harness.getSideOutput(tag);
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static SluiceRecord record(String payload) {
        return new SluiceRecord(
                payload.getBytes(StandardCharsets.UTF_8), "events", "shard-1", "pk", "42", ARRIVAL);
    }

    /** A record whose transform set the partition key {@code key}. */
    private static SluiceRecord record(String payload, String key, String value) {
        SluiceRecord r = record(payload);
        r.setPartitionKeys(Map.of(key, value));
        return r;
    }
}
