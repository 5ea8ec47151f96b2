package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.util.function.SerializableFunction;

import javax.annotation.Nullable;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Writes each element's line followed by a line feed, optionally inside one GZIP member per file:
 * the writer for JSON lines and CSV outputs ({@link #forRows}), and for the error and backup files.
 *
 * <p>A bulk format rather than a row {@code Encoder} because a GZIP member must be finished before
 * the file is committed; bulk formats roll on every checkpoint, which is also when Sluice wants
 * files committed.
 *
 * <p>Lines are gathered in a {@value #BUFFER_SIZE}-byte buffer before they reach the deflater, so
 * deflate and the GZIP CRC run once per buffer rather than twice per line (the line and its line
 * feed): a JNI call into zlib per small write costs more than the copy.
 */
public final class TextLinesWriterFactory<IN> implements BulkWriter.Factory<IN> {

    private static final long serialVersionUID = 1L;

    /** 64 KiB: large enough that deflate sees whole records, small enough per open file. */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Compression compression;
    private final int gzipLevel;
    private final SerializableFunction<IN, byte[]> line;

    /**
     * With GZIP at {@link GzipLevel#DEFAULT}.
     *
     * @param line an element's line, without its line break
     */
    public TextLinesWriterFactory(Compression compression, SerializableFunction<IN, byte[]> line) {
        this(compression, GzipLevel.DEFAULT, line);
    }

    /**
     * @param gzipLevel the deflate level for GZIP, 1 (fastest) to 9 (smallest); see {@link
     *     GzipLevel}
     * @param line an element's line, without its line break
     */
    public TextLinesWriterFactory(
            Compression compression, int gzipLevel, SerializableFunction<IN, byte[]> line) {
        checkArgument(
                compression == Compression.NONE || compression == Compression.GZIP,
                "text lines are written with GZIP or NONE, not %s",
                compression);
        this.compression = compression;
        this.gzipLevel = GzipLevel.check(gzipLevel);
        this.line = line;
    }

    /** For an output's rows, already encoded as lines. */
    public static TextLinesWriterFactory<StagedRow> forRows(
            Compression compression, int gzipLevel) {
        return new TextLinesWriterFactory<>(compression, gzipLevel, StagedRow::getBytes);
    }

    @Override
    public BulkWriter<IN> create(FSDataOutputStream out) throws IOException {
        if (compression == Compression.GZIP) {
            LeveledGzipOutputStream gzip = new LeveledGzipOutputStream(out, gzipLevel);
            return new Writer<>(out, new BufferedOutputStream(gzip, BUFFER_SIZE), gzip, line);
        }
        return new Writer<>(out, new BufferedOutputStream(out, BUFFER_SIZE), null, line);
    }

    /** A GZIP member written at a chosen deflate level ({@link GZIPOutputStream} fixes 6). */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, BUFFER_SIZE);
            def.setLevel(level);
        }
    }

    private static final class Writer<IN> implements BulkWriter<IN> {

        private final FSDataOutputStream file;
        private final OutputStream out;
        @Nullable private final GZIPOutputStream gzip;
        private final SerializableFunction<IN, byte[]> line;

        /**
         * @param out the buffered stream lines are written to
         * @param gzip the GZIP stream under {@code out}, to finish; null without compression
         */
        Writer(
                FSDataOutputStream file,
                OutputStream out,
                @Nullable GZIPOutputStream gzip,
                SerializableFunction<IN, byte[]> line) {
            this.file = file;
            this.out = out;
            this.gzip = gzip;
            this.line = line;
        }

        @Override
        public void addElement(IN element) throws IOException {
            out.write(line.apply(element));
            out.write('\n');
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void finish() throws IOException {
            // Finish a GZIP trailer but leave the stream open: the FileSink owns and commits it.
            out.flush();
            if (gzip != null) {
                gzip.finish();
            }
            file.flush();
        }
    }
}
