package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.operators.transform.TransformResult;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonValidationTransformTest {

    private final JsonValidationTransform json = new JsonValidationTransform();

    @Test
    void aJsonObjectPassesUnchanged() {
        assertThat(json.transform(TestRecords.json("{\"a\":\"ünï\"}")))
                .isEqualTo(TransformResult.ok());
    }

    @Test
    void invalidUtf8IsItsOwnError() {
        byte[] latin1 = {'{', '"', 'a', '"', ':', '"', (byte) 0xE9, '"', '}'};

        assertThat(code(json.transform(TestRecords.of(latin1)))).isEqualTo(ErrorCodes.INVALID_UTF8);
    }

    @Test
    void textThatIsNotJsonIsInvalidJson() {
        assertThat(code(json.transform(TestRecords.json("hello, world"))))
                .isEqualTo(ErrorCodes.INVALID_JSON);
        assertThat(code(json.transform(TestRecords.json("{\"a\":1} trailing"))))
                .isEqualTo(ErrorCodes.INVALID_JSON);
        assertThat(code(json.transform(TestRecords.json("")))).isEqualTo(ErrorCodes.INVALID_JSON);
    }

    @Test
    void jsonThatIsNotAnObjectCannotBeARow() {
        assertThat(code(json.transform(TestRecords.json("[1,2]"))))
                .isEqualTo(ErrorCodes.NOT_A_JSON_OBJECT);
        assertThat(code(json.transform(TestRecords.json("42"))))
                .isEqualTo(ErrorCodes.NOT_A_JSON_OBJECT);
    }

    @Test
    void theErrorMessageNeverQuotesThePayload() {
        TransformResult result = json.transform(TestRecords.json("{\"ssn\":\"123-45-6789\" oops}"));

        assertThat(((TransformResult.ProcessingFailed) result).errorMessage())
                .doesNotContain("123-45-6789");
    }

    static String code(TransformResult result) {
        assertThat(result).isInstanceOf(TransformResult.ProcessingFailed.class);
        return ((TransformResult.ProcessingFailed) result).errorCode();
    }
}
