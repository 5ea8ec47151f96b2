package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.util.function.SerializableFunction;

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
 */
public final class TextLinesWriterFactory<IN> implements BulkWriter.Factory<IN> {

    private static final long serialVersionUID = 1L;

    /** 64 KiB: large enough that deflate sees whole records, small enough per open file. */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Compression compression;
    private final SerializableFunction<IN, byte[]> line;

    /**
     * @param line an element's line, without its line break
     */
    public TextLinesWriterFactory(Compression compression, SerializableFunction<IN, byte[]> line) {
        checkArgument(
                compression == Compression.NONE || compression == Compression.GZIP,
                "text lines are written with GZIP or NONE, not %s",
                compression);
        this.compression = compression;
        this.line = line;
    }

    /** For an output's rows, already encoded as lines. */
    public static TextLinesWriterFactory<StagedRow> forRows(Compression compression) {
        return new TextLinesWriterFactory<>(compression, StagedRow::getBytes);
    }

    @Override
    public BulkWriter<IN> create(FSDataOutputStream out) throws IOException {
        return compression == Compression.GZIP
                ? new Writer<>(out, new GZIPOutputStream(out, BUFFER_SIZE), line)
                : new Writer<>(out, new BufferedOutputStream(out, BUFFER_SIZE), line);
    }

    private static final class Writer<IN> implements BulkWriter<IN> {

        private final FSDataOutputStream file;
        private final OutputStream out;
        private final SerializableFunction<IN, byte[]> line;

        Writer(FSDataOutputStream file, OutputStream out, SerializableFunction<IN, byte[]> line) {
            this.file = file;
            this.out = out;
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
            if (out instanceof GZIPOutputStream) {
                ((GZIPOutputStream) out).finish();
            }
            out.flush();
            file.flush();
        }
    }
}
