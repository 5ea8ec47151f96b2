package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Base of the built-ins that work on a JSON object: parses the payload (a non-object is a
 * ProcessingFailed with the codes of {@link JsonValidationTransform}) and hands the object to
 * {@link #apply}.
 */
abstract class JsonObjectTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    @Override
    public final TransformResult transform(SluiceRecord record) {
        JsonObjects.Parsed parsed = JsonObjects.parseObject(record.getData());
        if (!parsed.ok()) {
            return parsed.failure();
        }
        return apply(parsed.object(), record);
    }

    /**
     * @param object the parsed payload, to modify in place or read
     * @return the outcome; {@link #rewritten(ObjectNode)} for a modified object
     */
    abstract TransformResult apply(ObjectNode object, SluiceRecord record);

    static TransformResult rewritten(ObjectNode object) {
        return TransformResult.ok(JsonObjects.write(object));
    }
}
