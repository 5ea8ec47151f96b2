package dev.sluice.sinks.warehouse;

import dev.sluice.operators.record.JsonPayloads;
import dev.sluice.sinks.s3.format.FormatConversionException;
import dev.sluice.sinks.s3.format.JsonCsvRow;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns JSON lines into CSV rows for PostgreSQL's {@code COPY … FROM STDIN WITH (FORMAT csv)},
 * mapping keys to columns the way Redshift's {@code JSON 'auto'} does, so the same files load the
 * same way into either warehouse.
 *
 * <ul>
 *   <li>Each non-blank line must be exactly one JSON object; its top-level keys are matched to the
 *       column list. With {@code 'auto'} a key must equal the (lower-case) column name; with {@code
 *       'auto ignorecase'} case is ignored. A key seen twice: the later value wins.
 *   <li>Columns come out in column-list order; a column whose key is missing or {@code null} is
 *       NULL; keys matching no column are ignored.
 *   <li>Strings are loaded as their value; numbers and booleans as their JSON text (numbers exactly
 *       as written, {@code 1.50} stays {@code 1.50}); nested objects and arrays as their JSON text,
 *       exactly as written.
 *   <li>{@code EMPTYASNULL} loads {@code ""} as NULL and {@code BLANKSASNULL} loads
 *       white-space-only strings as NULL, as the Redshift options of those names do.
 * </ul>
 *
 * <p>The mapping and the CSV it writes (every non-NULL value quoted; NULL the unquoted marker
 * {@code \N}, which COPY is told is NULL) are {@link JsonCsvRow}'s, shared with CSV staging files.
 * Lines are read and rows written as UTF-8 bytes, without a decoded copy of the line, and rows are
 * written as they are read, so a file of any size streams through in constant memory.
 *
 * <p>A line that is not one JSON object, or bytes that are not UTF-8, fail with a {@link
 * MalformedRecordException} naming the file and line; the message never repeats the line.
 */
final class JsonAutoCsvTranscoder {

    /** Redshift's limit on one JSON object is 4 MB; anything far beyond is not a record. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final int BUFFER_BYTES = 64 * 1024;

    private final JsonCsvRow row;
    private final boolean emptyAsNull;
    private final boolean blanksAsNull;

    /**
     * @param columns lower-case column names, in the order COPY lists them
     * @param ignoreCase {@code 'auto ignorecase'} rather than {@code 'auto'}
     */
    JsonAutoCsvTranscoder(
            List<String> columns, boolean ignoreCase, boolean emptyAsNull, boolean blanksAsNull) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("JSON 'auto' needs at least one column");
        }
        this.row = new JsonCsvRow(columns, ignoreCase);
        this.emptyAsNull = emptyAsNull;
        this.blanksAsNull = blanksAsNull;
    }

    /** The transcoder that the parsed COPY options ask for. */
    static JsonAutoCsvTranscoder forOptions(List<String> columns, CopyOptions options) {
        return new JsonAutoCsvTranscoder(
                columns,
                options.jsonIgnoreCase(),
                options.hasKeyword("EMPTYASNULL"),
                options.hasKeyword("BLANKSASNULL"));
    }

    /**
     * Transcodes every line of {@code in} (UTF-8 JSON lines, already decompressed) to {@code out}.
     * Lines end at {@code \n}, with an optional {@code \r} before it.
     *
     * @param fileUrl the file being read, for error messages
     * @return the number of rows written
     */
    long transcode(String fileUrl, InputStream in, OutputStream out) throws IOException {
        return transcode(fileUrl, in, out, null, null);
    }

    /**
     * As {@link #transcode(String, InputStream, OutputStream)}, leaving out the lines {@code skip}
     * names and telling {@code rows} which source line each written row came from (COPY numbers
     * rows, not source lines; blank and skipped lines make the two differ).
     *
     * @param skip lines to leave out, or null; it sees each line's raw bytes before decoding
     * @param rows told of every non-blank line not written, or null
     */
    long transcode(
            String fileUrl,
            InputStream in,
            OutputStream out,
            @Nullable LineFilter skip,
            @Nullable RowLineMap rows)
            throws IOException {
        return transcodeLines(fileUrl, in, out, skip, rows);
    }

    /** Lines the caller wants left out of the COPY. */
    interface LineFilter {
        /** True to leave line {@code lineNumber} (1-based, raw bytes {@code line}) out. */
        boolean skip(long lineNumber, ByteBuffer line);
    }

    private long transcodeLines(
            String fileUrl,
            InputStream in,
            OutputStream out,
            @Nullable LineFilter skip,
            @Nullable RowLineMap rowLines)
            throws IOException {
        LineReader lines = new LineReader(in);
        String[] values = new String[row.columnCount()];
        JsonCsvRow.Utf8Rows csv = new JsonCsvRow.Utf8Rows();
        long lineNumber = 0;
        long rows = 0;
        while (lines.next()) {
            lineNumber++;
            if (skip != null && skip.skip(lineNumber, lines.bytes())) {
                if (rowLines != null) {
                    rowLines.notWritten(lineNumber);
                }
                continue;
            }
            if (lines.length() > MAX_LINE_BYTES) {
                throw new MalformedRecordException(
                        fileUrl,
                        lineNumber,
                        "the line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            // Read as bytes, not decoded first: the parser reads UTF-8 itself, and a decoded copy
            // of every line was a third of the loader's CPU on JSON files.
            if (!JsonPayloads.isValidUtf8(lines.array(), lines.length())) {
                throw new MalformedRecordException(
                        fileUrl, lineNumber, "the line is not valid UTF-8");
            }
            if (isBlank(lines.array(), lines.length())) {
                if (rowLines != null) {
                    rowLines.notWritten(lineNumber);
                }
                continue;
            }
            try {
                row.read(lines.array(), lines.length(), values, null);
            } catch (FormatConversionException e) {
                throw new MalformedRecordException(fileUrl, lineNumber, e.getMessage());
            }
            writeRow(values, csv, out);
            rows++;
        }
        return rows;
    }

    /**
     * Whether a valid UTF-8 line holds only white space, as {@link String#isBlank} says: any other
     * ASCII character settles it at once; a line of ASCII white space and other characters is
     * decoded to ask.
     */
    private static boolean isBlank(byte[] line, int length) {
        boolean beyondAscii = false;
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b < 0) {
                beyondAscii = true;
            } else if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return !beyondAscii || new String(line, 0, length, StandardCharsets.UTF_8).isBlank();
    }

    /**
     * Splits a stream into lines of bytes, so that each line is checked on its own and a bad byte
     * is reported on its own line (a decoding {@code Reader} reads ahead and would blame an earlier
     * one).
     */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private int position;
        private int limit;
        private byte[] line = new byte[1024];
        private int length;
        private boolean tooLong;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** Reads the next line; false at the end of the stream. */
        boolean next() throws IOException {
            length = 0;
            tooLong = false;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return any;
                    }
                }
                any = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                append(start, position - start);
                if (position < limit) {
                    position++; // the newline
                    if (!tooLong && length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return true;
                }
            }
        }

        private void append(int from, int count) {
            if (tooLong) {
                return;
            }
            if (length + count > MAX_LINE_BYTES) {
                // Keep counting nothing more: the line is rejected anyway.
                tooLong = true;
                length = MAX_LINE_BYTES + 1;
                return;
            }
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(buffer, from, line, length, count);
            length += count;
        }

        int length() {
            return length;
        }

        /** The line's bytes are its first {@link #length()}; valid until the next line. */
        byte[] array() {
            return line;
        }

        ByteBuffer bytes() {
            return ByteBuffer.wrap(line, 0, length);
        }
    }

    private void writeRow(String[] values, JsonCsvRow.Utf8Rows csv, OutputStream out)
            throws IOException {
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value != null
                    && ((emptyAsNull && value.isEmpty())
                            || (blanksAsNull && !value.isEmpty() && value.isBlank()))) {
                values[i] = null;
            }
        }
        out.write(csv.row(values));
        out.write('\n');
    }
}
