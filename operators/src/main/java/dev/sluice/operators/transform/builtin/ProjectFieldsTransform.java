package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Built-in {@code project}: keeps only the listed top-level fields, each under its target name, in
 * the listed order. A listed field the record lacks is left out (the warehouse reads it as NULL),
 * so projection never fails a record.
 */
public final class ProjectFieldsTransform extends JsonObjectTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "project";

    private final List<FieldMapping> fields;

    public ProjectFieldsTransform(List<FieldMapping> fields) {
        this.fields = List.copyOf(fields);
    }

    @Override
    TransformResult apply(ObjectNode object, SluiceRecord record) {
        ObjectNode out = object.objectNode();
        for (FieldMapping field : fields) {
            JsonNode value = object.get(field.source());
            if (value != null) {
                out.set(field.target(), value);
            }
        }
        return rewritten(out);
    }

    @Override
    public String toString() {
        return NAME + fields;
    }
}
