package dev.sluice.job.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads {@code ./sluice local --input FILE}: one raw record per line, its bytes exactly as in the
 * file (so invalid UTF-8 stays invalid), or, after a {@code b64:} prefix, base64 for bytes a line
 * cannot hold (line breaks). A trailing CR is dropped; empty lines are skipped, since Kinesis does
 * not accept an empty record.
 */
public final class InputRecords {

    public static final String BASE64_PREFIX = "b64:";

    private InputRecords() {}

    public static List<byte[]> read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<byte[]> records = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                lineNumber++;
                int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
                if (end > start) {
                    records.add(decode(Arrays.copyOfRange(content, start, end), lineNumber));
                }
                start = i + 1;
            }
        }
        return records;
    }

    static byte[] decode(byte[] line, int lineNumber) {
        byte[] prefix = BASE64_PREFIX.getBytes(StandardCharsets.US_ASCII);
        if (line.length < prefix.length
                || !Arrays.equals(Arrays.copyOf(line, prefix.length), prefix)) {
            return line;
        }
        try {
            String encoded =
                    new String(
                            line,
                            prefix.length,
                            line.length - prefix.length,
                            StandardCharsets.US_ASCII);
            byte[] bytes = Base64.getDecoder().decode(encoded.trim());
            if (bytes.length == 0) {
                throw new IllegalArgumentException("line " + lineNumber + ": empty b64: record");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "line " + lineNumber + ": not valid base64 after 'b64:': " + e.getMessage(), e);
        }
    }
}
