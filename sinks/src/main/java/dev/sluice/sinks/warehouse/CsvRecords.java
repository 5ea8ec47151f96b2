package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;

/**
 * Streams a staged CSV file to COPY record by record, so that rows PostgreSQL rejects can be left
 * out: a record ends at a line feed outside double quotes, so a quoted field holding a line break
 * stays one record spanning several lines. PostgreSQL's COPY error names a line of what it was sent
 * ({@code COPY t, line 7}); {@link #recordAtSentLine} turns it back into a record of the file by
 * reading the file again, with the same records left out (one more pass, on the rejected-row path
 * only).
 *
 * <p><b>Why a quoted line break before the rejected record stops isolation.</b> Without quoted line
 * breaks PostgreSQL's line is the record's number among those sent. With them it is not, and not in
 * a way we could pin down: tried against PostgreSQL 14, a bad record after two two-line records was
 * reported as line 4 (it was the third record, on the fifth line), one after a three-line record as
 * line 4 (fourth record, sixth line), and a three-line bad record fourth in its file as line 6.
 * Rather than guess, and take a good row out, {@link #recordAtSentLine} gives up when a record
 * before or at that line spans several lines, and the load fails whole as before.
 *
 * <p>The bytes are passed through unchanged (a doubled quote toggles quoting twice, so it needs no
 * special case); only the records a {@link RecordFilter} names are held back.
 */
final class CsvRecords {

    private static final int BUFFER_BYTES = 64 * 1024;

    /** Records the caller wants left out of the COPY. */
    interface RecordFilter {
        /**
         * True to leave record {@code record} (1-based) out; it starts on file line {@code
         * firstLine} and its bytes (without the final line feed) are {@code bytes}.
         */
        boolean skip(long record, long firstLine, ByteBuffer bytes);
    }

    /** What a scan sees of each record. */
    private interface Visitor {
        /**
         * @param lines how many lines the record spans (1 plus its quoted line breaks)
         * @return false to stop the scan
         */
        boolean record(long number, long firstLine, int lines, byte[] bytes, int length)
                throws IOException;
    }

    private CsvRecords() {}

    /**
     * Copies every record of {@code in} to {@code out}, each ending in a line feed.
     *
     * @return the number of records sent
     */
    static long copy(InputStream in, OutputStream out, @Nullable RecordFilter skip)
            throws IOException {
        long[] sent = {0};
        scan(
                in,
                (number, firstLine, lines, bytes, length) -> {
                    if (skip == null
                            || !skip.skip(number, firstLine, ByteBuffer.wrap(bytes, 0, length))) {
                        out.write(bytes, 0, length);
                        out.write('\n');
                        sent[0]++;
                    }
                    return true;
                });
        return sent[0];
    }

    /**
     * The record holding line {@code sentLine} of what {@link #copy} sent when {@code skipped}
     * records were left out.
     *
     * @return {record number, its first file line}, or null past the end or when a record up to
     *     there spans several lines (see the class comment)
     */
    @Nullable
    static long[] recordAtSentLine(InputStream in, Set<Long> skipped, long sentLine)
            throws IOException {
        long[] found = {-1, -1};
        long[] linesSent = {0};
        scan(
                in,
                (number, firstLine, lines, bytes, length) -> {
                    if (lines > 1) {
                        return false;
                    }
                    if (skipped.contains(number)) {
                        return true;
                    }
                    linesSent[0] += lines;
                    if (linesSent[0] >= sentLine) {
                        found[0] = number;
                        found[1] = firstLine;
                        return false;
                    }
                    return true;
                });
        return found[0] < 0 ? null : found;
    }

    private static void scan(InputStream in, Visitor visitor) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        byte[] record = new byte[1024];
        int length = 0;
        int lines = 1;
        boolean quoted = false;
        long line = 1;
        long number = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            for (int i = 0; i < read; i++) {
                byte b = buffer[i];
                if (b == '\n' && !quoted) {
                    number++;
                    if (!visitor.record(number, line, lines, record, length)) {
                        return;
                    }
                    line += lines;
                    lines = 1;
                    length = 0;
                    continue;
                }
                if (b == '"') {
                    quoted = !quoted;
                } else if (b == '\n') {
                    lines++;
                }
                if (length == record.length) {
                    record = Arrays.copyOf(record, record.length * 2);
                }
                record[length++] = b;
            }
        }
        if (length > 0) {
            visitor.record(number + 1, line, lines, record, length);
        }
    }
}
