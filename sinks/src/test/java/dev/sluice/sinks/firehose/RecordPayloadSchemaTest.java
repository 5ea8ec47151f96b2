package dev.sluice.sinks.firehose;

import dev.sluice.operators.record.SluiceRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPayloadSchemaTest {

    private static SluiceRecord record(String data) {
        SluiceRecord record = new SluiceRecord();
        record.setData(data.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static String serialize(boolean appendNewline, String data) {
        return new String(
                new RecordPayloadSchema(appendNewline).serialize(record(data)),
                StandardCharsets.UTF_8);
    }

    @Test
    void appendsOneNewlineUnlessThePayloadEndsWithOne() {
        assertThat(serialize(true, "{\"a\":1}")).isEqualTo("{\"a\":1}\n");
        assertThat(serialize(true, "{\"a\":1}\n")).isEqualTo("{\"a\":1}\n");
        assertThat(serialize(true, "")).isEqualTo("\n");
    }

    @Test
    void sendsThePayloadAsItIsWhenTold() {
        assertThat(serialize(false, "{\"a\":1}")).isEqualTo("{\"a\":1}");
    }
}
