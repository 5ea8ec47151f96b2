package dev.sluice.sinks.s3.prefix;

import dev.sluice.operators.record.SluiceRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionInputTest {

    @Test
    void thePayloadIsParsedOnceAndOnlyWhenAFieldIsAskedFor() throws Exception {
        SluiceRecord record = record("not json");
        record.setPartitionKeys(Map.of("k", "v"));
        PartitionInput input = PartitionInput.of(record, PrefixTimeSource.ARRIVAL);

        assertThat(input.transformKey("k", "!{partitionKeyFromLambda:k}")).isEqualTo("v");
        // Not parsed yet: a payload set now is the one the first field lookup reads ...
        record.setData("{\"a\":\"first\",\"b\":\"other\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(input.payloadField(List.of("a"), "a")).isEqualTo("first");
        // ... and every later lookup reads that same parse.
        record.setData("{\"a\":\"second\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(input.payloadField(List.of("b"), "b")).isEqualTo("other");
        assertThat(input.payloadField(List.of("a"), "a")).isEqualTo("first");
    }

    private static SluiceRecord record(String payload) {
        return new SluiceRecord(payload.getBytes(StandardCharsets.UTF_8), "s", "sh", "pk", "1", 0);
    }
}
