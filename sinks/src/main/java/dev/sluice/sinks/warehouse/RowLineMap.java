package dev.sluice.sinks.warehouse;

import java.util.Arrays;

/**
 * Maps the row numbers PostgreSQL's COPY reports ({@code COPY t, line 3}: the third row it was
 * sent) back to the lines of the staged file they came from. The two differ by the lines that were
 * not sent (blank lines, rows already taken out); only those are remembered, so a file of any size
 * costs memory only for them.
 */
final class RowLineMap {

    private long[] notWritten = new long[8];
    private int size;

    /** Line {@code lineNumber} of the file was not sent; calls come in ascending order. */
    void notWritten(long lineNumber) {
        if (size == notWritten.length) {
            notWritten = Arrays.copyOf(notWritten, size * 2);
        }
        notWritten[size++] = lineNumber;
    }

    /** The 1-based file line of the 1-based row {@code row} that COPY was sent. */
    long sourceLine(long row) {
        long line = row;
        for (int i = 0; i < size && notWritten[i] <= line; i++) {
            line++;
        }
        return line;
    }
}
