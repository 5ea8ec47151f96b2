package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.JsonPayloads;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Payloads as JSON objects for the built-in transforms, with precise failure codes. Reading follows
 * {@link JsonPayloads}: no payload text in any message.
 */
final class JsonObjects {

    static final ObjectMapper MAPPER =
            JsonPayloads.mapper().disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private JsonObjects() {}

    /** Either the parsed object or the reason it is not one. */
    record Parsed(ObjectNode object, TransformResult.ProcessingFailed failure) {

        boolean ok() {
            return object != null;
        }
    }

    static Parsed parseObject(byte[] data) {
        if (!JsonPayloads.isValidUtf8(data)) {
            return failed(ErrorCodes.INVALID_UTF8, "payload is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            return failed(ErrorCodes.INVALID_JSON, "payload is " + JsonPayloads.invalidJson(e));
        } catch (IOException e) {
            return failed(ErrorCodes.INVALID_JSON, "payload is not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return failed(ErrorCodes.INVALID_JSON, "payload is empty");
        }
        if (!node.isObject()) {
            return failed(
                    ErrorCodes.NOT_A_JSON_OBJECT,
                    "payload is a JSON "
                            + node.getNodeType().name().toLowerCase()
                            + ", not an object");
        }
        return new Parsed((ObjectNode) node, null);
    }

    /**
     * The verdict of {@link #parseObject} without building the tree: null when the payload is one
     * JSON object in valid UTF-8, else the same failure {@link #parseObject} gives. The {@code
     * json} check runs on every record and keeps none of the tree, so it streams the tokens once;
     * the rare failure is handed to the tree parse, which words it.
     */
    static TransformResult.ProcessingFailed checkObject(byte[] data) {
        return isOneObject(data) ? null : parseObject(data).failure();
    }

    private static boolean isOneObject(byte[] data) {
        if (!JsonPayloads.isValidUtf8(data)) {
            return false;
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            // Skipping still reads every token, so the tokenizer applies the read constraints
            // (number length, nesting depth) the tree parse meets: no failure is lost. An object
            // cut short ends the skip at the end of input, on a token other than its close.
            parser.skipChildren();
            return parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] write(ObjectNode object) {
        try {
            return MAPPER.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Parsed failed(String code, String message) {
        return new Parsed(null, TransformResult.processingFailed(code, message));
    }
}
