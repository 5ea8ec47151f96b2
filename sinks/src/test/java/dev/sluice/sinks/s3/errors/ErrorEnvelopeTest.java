package dev.sluice.sinks.s3.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorEnvelopeTest {

    private static final byte[] ARBITRARY = {(byte) 0xff, 0, '\n', '"', (byte) 0xe9, '{'};

    private static ErrorEnvelope envelope(byte[] raw) {
        return new ErrorEnvelope(
                "Json.Invalid",
                "payload is not JSON",
                raw,
                1,
                1_714_564_800_000L,
                1_714_564_799_000L,
                "user-events",
                "shardId-000000000002",
                "user-7",
                "49650000000000000000000000000002",
                1_714_564_801_000L);
    }

    @Test
    void anyBytesSurviveTheRoundTripExactly() {
        ErrorEnvelope written = envelope(ARBITRARY);

        ErrorEnvelope read = ErrorEnvelope.fromJson(written.toJson());

        assertThat(read).isEqualTo(written);
        assertThat(read.rawData()).isEqualTo(ARBITRARY);
    }

    @Test
    void theLineHasFirehosesFieldsAndTheKinesisCoordinates() throws Exception {
        JsonNode line = new ObjectMapper().readTree(envelope(ARBITRARY).toJson());

        assertThat(line.fieldNames())
                .toIterable()
                .containsExactly(
                        "errorCode",
                        "errorMessage",
                        "rawData",
                        "attemptsMade",
                        "approximateArrivalTimestamp",
                        "eventTimestamp",
                        "stream",
                        "shardId",
                        "partitionKey",
                        "sequenceNumber",
                        "processingTimestamp");
        assertThat(Base64.getDecoder().decode(line.get("rawData").asText())).isEqualTo(ARBITRARY);
    }

    @Test
    void theLineIsOneLineWhateverThePayload() {
        assertThat(
                        new String(
                                envelope(ARBITRARY).toJson(),
                                java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("\n")
                .doesNotContain("\r");
    }

    @Test
    void errorOutputsLiveUnderTheErrorsDirectory() {
        assertThat(ErrorOutput.PROCESSING_FAILED.prefix("p/"))
                .isEqualTo("p/errors/processing-failed/");
        assertThat(ErrorOutput.LATE.prefix("p")).isEqualTo("p/errors/late/");
        assertThat(ErrorOutput.LATE.prefix("")).isEqualTo("errors/late/");
    }
}
