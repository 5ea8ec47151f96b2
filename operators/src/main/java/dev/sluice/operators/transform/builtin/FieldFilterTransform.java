package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Built-in {@code filter}: keeps records for which a simple predicate on one top-level field holds
 * and Drops the rest (counted as Dropped, as with a Firehose Lambda that returns {@code Dropped}).
 *
 * <p>Values are compared as text: {@code "42"} and {@code 42} both equal {@code 42}, {@code true}
 * equals {@code true}. A JSON {@code null} counts as present for EXISTS and equals nothing.
 */
public final class FieldFilterTransform extends JsonObjectTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "filter";

    /** How the field is tested. */
    public enum Operator {
        EQUALS,
        NOT_EQUALS,
        EXISTS,
        NOT_EXISTS
    }

    private final String field;
    private final Operator operator;
    private final String value;

    /**
     * @param value compared with for EQUALS and NOT_EQUALS; ignored otherwise
     */
    public FieldFilterTransform(String field, Operator operator, String value) {
        checkArgument(field != null && !field.isBlank(), "filter field must not be blank");
        this.field = field;
        this.operator = checkNotNull(operator, "operator");
        checkArgument(
                value != null || operator == Operator.EXISTS || operator == Operator.NOT_EXISTS,
                "%s needs a value to compare with",
                operator);
        this.value = value;
    }

    @Override
    TransformResult apply(ObjectNode object, SluiceRecord record) {
        return keeps(object.get(field)) ? TransformResult.ok() : TransformResult.dropped();
    }

    private boolean keeps(JsonNode node) {
        switch (operator) {
            case EXISTS:
                return node != null;
            case NOT_EXISTS:
                return node == null;
            case EQUALS:
                return matches(node);
            case NOT_EQUALS:
                return !matches(node);
            default:
                throw new IllegalStateException("unknown operator " + operator);
        }
    }

    private boolean matches(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() && value.equals(node.asText());
    }

    @Override
    public String toString() {
        return NAME + "(" + field + " " + operator + (value == null ? "" : " …") + ")";
    }
}
