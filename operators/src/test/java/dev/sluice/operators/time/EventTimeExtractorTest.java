package dev.sluice.operators.time;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeExtractorTest {

    private static final long T = 1_714_564_800_000L; // 2024-05-01T12:00:00Z

    private final EventTimeExtractor auto = new EventTimeExtractor("ts", EventTimeFormat.AUTO);

    @Test
    void isoInstantsAndOffsetsAreRead() {
        assertThat(auto.extract(json("{\"ts\":\"2024-05-01T12:00:00Z\"}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":\"2024-05-01T14:00:00.000+02:00\"}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":\"2024-05-01 12:00:00\"}"))).isEqualTo(T);
    }

    @Test
    void autoTellsSecondsFromMillisByMagnitude() {
        assertThat(auto.extract(json("{\"ts\":" + T + "}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":" + T / 1000 + "}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":1714564800.5}"))).isEqualTo(T + 500);
        assertThat(auto.extract(json("{\"ts\":\"" + T + "\"}"))).isEqualTo(T);
    }

    @Test
    void anExplicitFormatIsObeyed() {
        assertThat(
                        new EventTimeExtractor("ts", EventTimeFormat.EPOCH_SECONDS)
                                .extract(json("{\"ts\":10}")))
                .isEqualTo(10_000L);
        assertThat(
                        new EventTimeExtractor("ts", EventTimeFormat.EPOCH_MILLIS)
                                .extract(json("{\"ts\":10}")))
                .isEqualTo(10L);
        assertThat(
                        new EventTimeExtractor("ts", EventTimeFormat.ISO_8601)
                                .extract(json("{\"ts\":10}")))
                .isEqualTo(EventTimeExtractor.NONE);
    }

    @Test
    void missingUnparsableOrNonJsonGivesNone() {
        assertThat(auto.extract(json("{\"other\":1,\"nested\":{\"ts\":5}}")))
                .isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(json("{\"ts\":\"yesterday\"}"))).isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(json("{\"ts\":null}"))).isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(json("not json"))).isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(new byte[] {(byte) 0xff, (byte) 0xfe}))
                .isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(new byte[0])).isEqualTo(EventTimeExtractor.NONE);
    }

    @Test
    void theFieldIsFoundAfterNestedValues() {
        assertThat(
                        auto.extract(
                                json(
                                        "{\"a\":{\"ts\":1,\"b\":[1,{}]},\"ts\":\"2024-05-01T12:00:00Z\"}")))
                .isEqualTo(T);
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
