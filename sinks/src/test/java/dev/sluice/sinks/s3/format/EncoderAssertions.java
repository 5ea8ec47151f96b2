package dev.sluice.sinks.s3.format;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The promise every encoder keeps on bad input: a clear message that never repeats the record. */
final class EncoderAssertions {

    private EncoderAssertions() {}

    /**
     * Asserts that encoding {@code payload} fails with a message starting with {@code message},
     * without a cause (causes may quote the record), and without the word "secret", which test
     * payloads put where their content is.
     */
    static void assertFailsWithoutEcho(RecordEncoder encoder, String payload, String message) {
        assertThatThrownBy(() -> encoder.encode(payload.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FormatConversionException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"))
                .hasNoCause();
    }
}
