package dev.sluice.sinks.s3;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.sinks.s3.format.ColumnType;
import dev.sluice.sinks.s3.format.ColumnTypes;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.FormatConversionException;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator before each S3 output, with a CSV encoder: good records are encoded, bad ones
 * diverted.
 */
class OutputRowFunctionFormatTest {

    private static final long ARRIVAL = Instant.parse("2026-11-22T08:15:00Z").toEpochMilli();

    @Test
    void aRecordFailingConversionLeavesOnTheSideOutputWithItsOriginalBytesWhileGoodOnesPass()
            throws Exception {
        OutputRowFunction function =
                new OutputRowFunction(
                        "events",
                        PrefixTemplate.parse("data/"),
                        FileFormat.csv(List.of("id", "name"), null).encoder());
        byte[] bad = "[\"not\",\"an object\"]".getBytes(StandardCharsets.UTF_8);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, StagedRow> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(record("{\"id\":1,\"name\":\"a\"}"), ARRIVAL);
            harness.processElement(record(bad), ARRIVAL);
            harness.processElement(record("{\"ID\":2}"), ARRIVAL);

            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            new StagedRow("2026/11/22/08/", utf8("\"1\",\"a\"")),
                            new StagedRow("2026/11/22/08/", utf8("\"2\",\\N")));

            List<FailedRecord> failed = new ArrayList<>();
            harness.getSideOutput(function.formatConversionFailed())
                    .forEach(r -> failed.add(r.getValue()));
            assertThat(failed).hasSize(1);
            FailedRecord failure = failed.get(0);
            assertThat(failure.getRawData()).isEqualTo(bad);
            assertThat(failure.getErrorCode())
                    .isEqualTo(FormatConversionException.ERROR_CODE)
                    .isEqualTo("DataFormatConversion.MalformedData");
            assertThat(failure.getErrorMessage())
                    .isEqualTo("expected a JSON object, found an array");
            assertThat(failure.getRecord().getSequenceNumber()).isEqualTo("seq");
        }
    }

    @Test
    void withColumnTypesValuesAreMadeToFitWhenTheFunctionOpensAndMisfitsNameTheirColumn()
            throws Exception {
        ColumnTypes types =
                new ColumnTypes(
                        List.of(
                                ColumnType.fromCatalog("id", "integer", null, 32, 0, false),
                                ColumnType.fromCatalog(
                                        "at",
                                        "timestamp without time zone",
                                        null,
                                        null,
                                        null,
                                        false)),
                        false,
                        false,
                        true);
        int[] reads = {0};
        OutputRowFunction function =
                OutputRowFunction.builder(
                                "events",
                                PrefixTemplate.parse("data/"),
                                FileFormat.json().encoder())
                        .columnTypes(
                                () -> {
                                    reads[0]++;
                                    return types;
                                })
                        .build();
        try (OneInputStreamOperatorTestHarness<SluiceRecord, StagedRow> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(record("{\"id\":1,\"at\":1763719800000}"), ARRIVAL);
            harness.processElement(record("{\"id\":\"12abc\",\"at\":1}"), ARRIVAL);
            harness.processElement(record("{\"id\":3}"), ARRIVAL);

            assertThat(reads[0]).as("read once, when the function opened").isEqualTo(1);
            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            new StagedRow(
                                    "2026/11/22/08/",
                                    utf8("{\"id\":1,\"at\":\"2025-11-21 10:10:00\"}")),
                            new StagedRow("2026/11/22/08/", utf8("{\"id\":3}")));
            List<FailedRecord> failed = new ArrayList<>();
            harness.getSideOutput(function.formatConversionFailed())
                    .forEach(r -> failed.add(r.getValue()));
            assertThat(failed)
                    .singleElement()
                    .satisfies(
                            f ->
                                    assertThat(f.getErrorMessage())
                                            .isEqualTo(
                                                    "text that is not a number is not a valid"
                                                            + " integer for column 'id'"));
        }
    }

    private static SluiceRecord record(String json) {
        return record(utf8(json));
    }

    private static SluiceRecord record(byte[] data) {
        return new SluiceRecord(data, "stream", "shardId-0", "pk", "seq", ARRIVAL);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
