package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reading and writing JSON payloads for the built-in transforms, with precise failure codes.
 *
 * <p>Jackson quotes part of the input in its error messages by default; that is switched off
 * here, because error messages end up in logs and envelopes and payloads may hold personal data.
 */
final class JsonPayloads {

    static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build();

    private JsonPayloads() {}

    /** Either the parsed object or the reason it is not one. */
    record Parsed(ObjectNode object, TransformResult.ProcessingFailed failure) {

        boolean ok() {
            return object != null;
        }
    }

    static Parsed parseObject(byte[] data) {
        if (!isValidUtf8(data)) {
            return failed(ErrorCodes.INVALID_UTF8, "payload is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            return failed(ErrorCodes.INVALID_JSON, "payload is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return failed(ErrorCodes.INVALID_JSON, "payload is not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return failed(ErrorCodes.INVALID_JSON, "payload is empty");
        }
        if (!node.isObject()) {
            return failed(
                    ErrorCodes.NOT_A_JSON_OBJECT,
                    "payload is a JSON " + node.getNodeType().name().toLowerCase() + ", not an object");
        }
        return new Parsed((ObjectNode) node, null);
    }

    static byte[] write(ObjectNode object) {
        try {
            return MAPPER.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isValidUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static Parsed failed(String code, String message) {
        return new Parsed(null, TransformResult.processingFailed(code, message));
    }
}
