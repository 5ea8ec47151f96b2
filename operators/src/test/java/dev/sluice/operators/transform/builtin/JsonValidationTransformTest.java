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

    /**
     * The check streams tokens instead of building the tree the other built-ins use: it must accept
     * exactly what the tree parse accepts, and fail with the tree parse's code and message.
     */
    @Test
    void streamingGivesTheVerdictOfTheTreeParseOnEveryKindOfInput() {
        String longNumber = "1".repeat(1_200);
        String deep = "[".repeat(1_200) + "]".repeat(1_200);
        String[] inputs = {
            "{}",
            "{\"a\":{\"b\":[1,2.5,-3e10,true,false,null,\"x\"]},\"c\":{}}",
            "{\"a\":1}   \n",
            "{\"a\":1}{\"b\":2}",
            "{\"a\":1} trailing",
            "{\"a\":1",
            "{\"a\":1}}",
            "{\"a\":[1,2}",
            "{\"a\":{\"b\":1}",
            "{\"a\":NaN}",
            "{\"a\":" + longNumber + "}",
            "{\"a\":" + deep + "}",
            "{\"a\":1,\"a\":2}",
            "{'a':1}",
            "{a:1}",
            "{\"a\":01}",
            "{\"a\":1,}",
            "{\"a\":\"\\u00e9\"}",
            "[{}]",
            "\"text\"",
            "42",
            "true",
            "null",
            "",
            "   ",
            "{} // comment",
            "hello",
        };
        for (String input : inputs) {
            byte[] bytes = input.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            JsonObjects.Parsed tree = JsonObjects.parseObject(bytes);
            TransformResult.ProcessingFailed streamed = JsonObjects.checkObject(bytes);
            String shown = input.length() > 60 ? input.substring(0, 60) + "…" : input;
            if (tree.ok()) {
                assertThat(streamed).as(shown).isNull();
            } else {
                assertThat(streamed).as(shown).isEqualTo(tree.failure());
            }
        }
    }

    static String code(TransformResult result) {
        assertThat(result).isInstanceOf(TransformResult.ProcessingFailed.class);
        return ((TransformResult.ProcessingFailed) result).errorCode();
    }
}
