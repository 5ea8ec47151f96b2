package dev.sluice.sinks.s3.format;

import dev.sluice.sinks.s3.StagedRow;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Writes each row's bytes followed by a line feed, optionally inside one GZIP member per file:
 * the writer for JSON lines and CSV.
 *
 * <p>A bulk format rather than a row {@code Encoder} because a GZIP member must be finished
 * before the file is committed; bulk formats roll on every checkpoint, which is also when Sluice
 * wants files committed.
 */
public final class TextLinesWriterFactory implements BulkWriter.Factory<StagedRow> {

    private static final long serialVersionUID = 1L;

    /** 64 KiB: large enough that deflate sees whole records, small enough per open file. */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Compression compression;

    public TextLinesWriterFactory(Compression compression) {
        checkArgument(
                compression == Compression.NONE || compression == Compression.GZIP,
                "text lines are written with GZIP or NONE, not %s",
                compression);
        this.compression = compression;
    }

    @Override
    public BulkWriter<StagedRow> create(FSDataOutputStream out) throws IOException {
        return compression == Compression.GZIP
                ? new Writer(out, new GZIPOutputStream(out, BUFFER_SIZE))
                : new Writer(out, new java.io.BufferedOutputStream(out, BUFFER_SIZE));
    }

    private static final class Writer implements BulkWriter<StagedRow> {

        private final FSDataOutputStream file;
        private final OutputStream out;

        Writer(FSDataOutputStream file, OutputStream out) {
            this.file = file;
            this.out = out;
        }

        @Override
        public void addElement(StagedRow row) throws IOException {
            out.write(row.getBytes());
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
