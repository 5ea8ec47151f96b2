package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformResult;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Built-in {@code max-size}: a payload longer than the limit is a ProcessingFailed with code {@link
 * ErrorCodes#RECORD_TOO_LARGE}. Placed after a rewriting step it also catches records a transform
 * made too large.
 */
public final class MaxSizeTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "max-size";

    /**
     * 1 MiB: the default maximum record size of a Kinesis stream, and the largest record Sluice
     * delivers by default.
     */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    /**
     * 10 MiB: the largest maximum record size a Kinesis stream can be given ({@code
     * UpdateMaxRecordSize} takes 1024–10240 KiB), so the largest record a source can read.
     */
    public static final int LARGEST_MAX_BYTES = 10 * 1024 * 1024;

    private final int maxBytes;

    public MaxSizeTransform(int maxBytes) {
        checkArgument(maxBytes > 0, "maxBytes must be positive");
        this.maxBytes = maxBytes;
    }

    public MaxSizeTransform() {
        this(DEFAULT_MAX_BYTES);
    }

    @Override
    public TransformResult transform(SluiceRecord record) {
        int size = record.getData().length;
        if (size > maxBytes) {
            return TransformResult.processingFailed(
                    ErrorCodes.RECORD_TOO_LARGE,
                    "payload has " + size + " bytes, more than the maximum of " + maxBytes);
        }
        return TransformResult.ok();
    }

    @Override
    public String toString() {
        return NAME + "(" + maxBytes + ")";
    }
}
