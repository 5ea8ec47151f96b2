package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformResult;

/**
 * Built-in {@code json}: lets through payloads that are one JSON object in valid UTF-8, unchanged.
 * Everything else is a ProcessingFailed with a precise code: {@link ErrorCodes#INVALID_UTF8},
 * {@link ErrorCodes#INVALID_JSON} or {@link ErrorCodes#NOT_A_JSON_OBJECT}.
 *
 * <p>It is in the default chain because the warehouse load reads JSON objects: a record that cannot
 * become a row must become an error record here, not a failed COPY later.
 */
public final class JsonValidationTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "json";

    @Override
    public TransformResult transform(SluiceRecord record) {
        TransformResult.ProcessingFailed failure = JsonObjects.checkObject(record.getData());
        return failure == null ? TransformResult.ok() : failure;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
