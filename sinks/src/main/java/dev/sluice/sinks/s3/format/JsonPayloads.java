package dev.sluice.sinks.s3.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading record payloads as JSON without ever letting their content into an error message:
 * records may hold personal data, and conversion errors end up in error envelopes and logs.
 */
final class JsonPayloads {

    /** Jackson without the source snippet it would otherwise put into every location. */
    static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    /** Text Jackson quotes in its messages: record content, or one of JSON's own words. */
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private static final Pattern JSON_WORDS =
            Pattern.compile("null|true|false|NaN|[+-]?INF|[+-]?Infinity");

    private JsonPayloads() {}

    /**
     * A mapper for whole payloads: one value per payload (trailing content is an error), decimals
     * kept exact, and no source snippets in its messages.
     */
    static ObjectMapper newMapper() {
        return new ObjectMapper(
                        JsonFactory.builder()
                                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                                .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** Strict UTF-8: a bad byte is an error, not a replacement character in the warehouse. */
    static String utf8(byte[] payload) throws FormatConversionException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FormatConversionException("the record is not valid UTF-8");
        }
    }

    /**
     * "invalid JSON at column N: …" with Jackson's own explanation, minus the record content it
     * sometimes quotes ({@code Unrecognized token 'jane.doe'}). Not chained, for the same reason.
     */
    static FormatConversionException invalidJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
        String message =
                QUOTED.matcher(String.valueOf(e.getOriginalMessage()))
                        .replaceAll(
                                quoted ->
                                        JSON_WORDS.matcher(quoted.group(1)).matches()
                                                ? Matcher.quoteReplacement(quoted.group())
                                                : "'…'");
        int newline = message.indexOf('\n');
        return new FormatConversionException(
                "invalid JSON" + where + ": " + (newline < 0 ? message : message.substring(0, newline)));
    }

    /** What a JSON value is, in words ("an array", "a string"), for "expected …, found …". */
    static String describe(JsonToken token) {
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
