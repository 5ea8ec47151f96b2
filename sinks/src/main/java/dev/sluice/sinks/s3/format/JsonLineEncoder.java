package dev.sluice.sinks.s3.format;

import java.util.Arrays;

/**
 * JSON lines: the payload as the transform stage left it, on one line.
 *
 * <p>Carriage returns and line feeds become spaces: in valid JSON they can only be insignificant
 * whitespace between tokens (inside strings they must be escaped), so a pretty-printed record still
 * becomes exactly one line and line counts equal record counts. The payload is not parsed;
 * validating JSON is the transform stage's {@code json} step.
 */
public final class JsonLineEncoder implements RecordEncoder {

    private static final long serialVersionUID = 1L;

    @Override
    public byte[] encode(byte[] payload) throws FormatConversionException {
        byte[] line = oneLine(payload);
        if (line.length == 0) {
            throw new FormatConversionException("empty record: a JSON line needs a document");
        }
        return line;
    }

    /** Values checked and made to fit their columns: {@link TypedJsonLineEncoder}. */
    @Override
    public RecordEncoder typed(ColumnTypes columns) {
        return new TypedJsonLineEncoder(columns);
    }

    /**
     * The payload without trailing line breaks and with inner ones as spaces; the payload itself,
     * not a copy, when it already is one line (the usual case, and this runs for every record).
     */
    public static byte[] oneLine(byte[] payload) {
        int end = payload.length;
        // A trailing line break would otherwise make an empty line.
        while (end > 0 && (payload[end - 1] == '\n' || payload[end - 1] == '\r')) {
            end--;
        }
        byte[] line = null;
        for (int i = 0; i < end; i++) {
            if (payload[i] == '\n' || payload[i] == '\r') {
                if (line == null) {
                    line = Arrays.copyOf(payload, end);
                }
                line[i] = ' ';
            }
        }
        if (line != null) {
            return line;
        }
        return end == payload.length ? payload : Arrays.copyOf(payload, end);
    }
}
