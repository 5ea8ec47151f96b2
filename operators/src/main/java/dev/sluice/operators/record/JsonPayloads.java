package dev.sluice.operators.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /**
     * Jackson without the source snippet it would otherwise put into every location, and with its
     * buffers recycled without a thread-local lookup ({@link SharedRecyclerJsonFactory}).
     */
    public static final JsonFactory JSON = factory();

    /** Text Jackson quotes in its messages: record content, or one of JSON's own words. */
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private static final Pattern JSON_WORDS =
            Pattern.compile("null|true|false|NaN|[+-]?INF|[+-]?Infinity");

    /** Reads eight bytes of a {@code byte[]} as one {@code long}, for {@link #isValidUtf8}. */
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long HIGH_BITS = 0x8080808080808080L;

    private JsonPayloads() {}

    /**
     * A mapper for whole payloads: one value per payload (trailing content is an error) and no
     * source snippets in its messages. Callers add what their reading needs (exact decimals, …).
     */
    public static JsonMapper.Builder mapper() {
        // A factory of its own: a mapper makes itself its factory's codec.
        return JsonMapper.builder(factory()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private static JsonFactory factory() {
        return new SharedRecyclerJsonFactory(
                new JsonFactoryBuilder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION));
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

    /**
     * Whether {@link #utf8} accepts the payload: well-formed UTF-8 as RFC 3629 defines it (no
     * overlong forms, no surrogates, nothing above U+10FFFF). It walks the bytes without decoding
     * them, since the JSON check runs it on every record and needs only the verdict.
     */
    public static boolean isValidUtf8(byte[] payload) {
        return isValidUtf8(payload, payload.length);
    }

    /** As {@link #isValidUtf8(byte[])}, for the first {@code length} bytes of {@code payload}. */
    public static boolean isValidUtf8(byte[] payload, int length) {
        int i = 0;
        int n = length;
        while (i < n) {
            // ASCII eight bytes at a time: nearly every payload is all ASCII, and this runs on
            // every record.
            while (i + Long.BYTES <= n && ((long) LONGS.get(payload, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
            }
            if (i == n) {
                break;
            }
            int b = payload[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            int width;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                width = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                width = 3;
                if (b == 0xE0) {
                    min = 0xA0; // overlong
                } else if (b == 0xED) {
                    max = 0x9F; // surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                width = 4;
                if (b == 0xF0) {
                    min = 0x90; // overlong
                } else if (b == 0xF4) {
                    max = 0x8F; // above U+10FFFF
                }
            } else {
                return false;
            }
            if (i + width > n) {
                return false;
            }
            int second = payload[i + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k < width; k++) {
                int next = payload[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += width;
        }
        return true;
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
