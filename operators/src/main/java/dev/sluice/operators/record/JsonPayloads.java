package dev.sluice.operators.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading record payloads as JSON without ever letting their content into an error message: records
 * may hold personal data, and error messages end up in error envelopes and logs.
 *
 * <p>The one home of that rule for every reader of payloads: the built-in transforms, event-time
 * extraction and the output formats.
 */
public final class JsonPayloads {

    /** Jackson without the source snippet it would otherwise put into every location. */
    public static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    /** Text Jackson quotes in its messages: record content, or one of JSON's own words. */
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private static final Pattern JSON_WORDS =
            Pattern.compile("null|true|false|NaN|[+-]?INF|[+-]?Infinity");

    private JsonPayloads() {}

    /**
     * A mapper for whole payloads: one value per payload (trailing content is an error) and no
     * source snippets in its messages. Callers add what their reading needs (exact decimals, …).
     */
    public static JsonMapper.Builder mapper() {
        // A factory of its own: a mapper makes itself its factory's codec.
        return JsonMapper.builder(
                        JsonFactory.builder()
                                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                                .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Strict UTF-8: a bad byte is an error, not a replacement character in the warehouse.
     *
     * @throws CharacterCodingException if the payload is not valid UTF-8
     */
    public static String utf8(byte[] payload) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(payload))
                .toString();
    }

    /** Whether {@link #utf8} accepts the payload. */
    public static boolean isValidUtf8(byte[] payload) {
        try {
            utf8(payload);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * "invalid JSON at column N: …" with Jackson's own explanation, minus the record content it
     * sometimes quotes ({@code Unrecognized token 'jane.doe'}). Callers must not chain {@code e},
     * for the same reason.
     */
    public static String invalidJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
        String message =
                QUOTED.matcher(String.valueOf(e.getOriginalMessage()))
                        .replaceAll(
                                quoted ->
                                        JSON_WORDS.matcher(quoted.group(1)).matches()
                                                ? Matcher.quoteReplacement(quoted.group())
                                                : "'…'");
        int newline = message.indexOf('\n');
        return "invalid JSON"
                + where
                + ": "
                + (newline < 0 ? message : message.substring(0, newline));
    }

    /** What a JSON value is, in words ("an array", "a string"), for "expected …, found …". */
    public static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
    }
}
