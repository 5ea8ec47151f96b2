package dev.sluice.sinks.s3.format;

/**
 * JSON lines: the payload as the transform stage left it, on one line.
 *
 * <p>Carriage returns and line feeds become spaces: in valid JSON they can only be insignificant
 * whitespace between tokens (inside strings they must be escaped), so a pretty-printed record
 * still becomes exactly one line and line counts equal record counts. The payload is not parsed;
 * validating JSON is the transform stage's {@code json} step.
 */
public final class JsonLineEncoder implements RecordEncoder {

    private static final long serialVersionUID = 1L;

    @Override
    public byte[] encode(byte[] payload) throws FormatConversionException {
        int end = payload.length;
        // A trailing line break would otherwise make an empty line.
        while (end > 0 && (payload[end - 1] == '\n' || payload[end - 1] == '\r')) {
            end--;
        }
        if (end == 0) {
            throw new FormatConversionException("empty record: a JSON line needs a document");
        }
        byte[] line = java.util.Arrays.copyOf(payload, end);
        for (int i = 0; i < end; i++) {
            if (line[i] == '\n' || line[i] == '\r') {
                line[i] = ' ';
            }
        }
        return line;
    }
}
