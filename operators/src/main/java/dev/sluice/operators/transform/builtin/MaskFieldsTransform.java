package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Built-in {@code mask}: replaces the value of each listed top-level field with a fixed string, for
 * personal data the warehouse must not hold. Missing and {@code null} fields stay as they are
 * (there is nothing to hide, and NULL stays distinguishable from a masked value).
 */
public final class MaskFieldsTransform extends JsonObjectTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "mask";

    public static final String DEFAULT_MASK = "****";

    private final List<String> fields;
    private final String mask;

    public MaskFieldsTransform(List<String> fields, String mask) {
        this.fields = List.copyOf(fields);
        this.mask = checkNotNull(mask, "mask");
    }

    @Override
    TransformResult apply(ObjectNode object, SluiceRecord record) {
        for (String field : fields) {
            JsonNode value = object.get(field);
            if (value != null && !value.isNull()) {
                object.put(field, mask);
            }
        }
        return rewritten(object);
    }

    @Override
    public String toString() {
        return NAME + fields;
    }
}
