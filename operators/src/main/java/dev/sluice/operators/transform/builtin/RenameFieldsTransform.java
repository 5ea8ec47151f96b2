package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Built-in {@code rename}: renames the listed top-level fields and keeps every other field. A
 * missing field is left alone; a rename onto an existing name replaces that field.
 */
public final class RenameFieldsTransform extends JsonObjectTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "rename";

    private final List<FieldMapping> renames;

    public RenameFieldsTransform(List<FieldMapping> renames) {
        this.renames = List.copyOf(renames);
    }

    @Override
    TransformResult apply(ObjectNode object, SluiceRecord record) {
        for (FieldMapping rename : renames) {
            JsonNode value = object.remove(rename.source());
            if (value != null) {
                object.set(rename.target(), value);
            }
        }
        return rewritten(object);
    }

    @Override
    public String toString() {
        return NAME + renames;
    }
}
