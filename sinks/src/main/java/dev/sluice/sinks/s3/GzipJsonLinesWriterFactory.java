package dev.sluice.sinks.s3;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/**
 * Writes each record as one line of a GZIP-compressed file: the JSON-lines staging format that
 * Redshift's {@code COPY … JSON 'auto' GZIP} and Sluice's PostgreSQL loader both read.
 *
 * <p>It is a bulk format rather than a row {@code Encoder} because a GZIP member must be finished
 * before the file is committed; bulk formats roll on every checkpoint, which is also when Sluice
 * wants files committed.
 *
 * <p>Carriage returns and line feeds inside a record become spaces: in valid JSON they can only be
 * insignificant whitespace between tokens (inside strings they must be escaped), so a
 * pretty-printed record still becomes exactly one line and line counts equal record counts.
 */
public final class GzipJsonLinesWriterFactory implements BulkWriter.Factory<byte[]> {

    private static final long serialVersionUID = 1L;

    /** 64 KiB: large enough that deflate sees whole records, small enough per open file. */
    static final int BUFFER_SIZE = 64 * 1024;

    @Override
    public BulkWriter<byte[]> create(FSDataOutputStream out) throws IOException {
        return new Writer(out);
    }

    private static final class Writer implements BulkWriter<byte[]> {

        private final FSDataOutputStream out;
        private final GZIPOutputStream gzip;

        Writer(FSDataOutputStream out) throws IOException {
            this.out = out;
            this.gzip = new GZIPOutputStream(out, BUFFER_SIZE);
        }

        @Override
        public void addElement(byte[] record) throws IOException {
            int end = record.length;
            // A trailing line break would otherwise make an empty line.
            while (end > 0 && (record[end - 1] == '\n' || record[end - 1] == '\r')) {
                end--;
            }
            int start = 0;
            for (int i = 0; i < end; i++) {
                byte b = record[i];
                if (b == '\n' || b == '\r') {
                    gzip.write(record, start, i - start);
                    gzip.write(' ');
                    start = i + 1;
                }
            }
            gzip.write(record, start, end - start);
            gzip.write('\n');
        }

        @Override
        public void flush() throws IOException {
            gzip.flush();
        }

        @Override
        public void finish() throws IOException {
            // Finish the GZIP trailer but leave the stream open: the FileSink owns and commits it.
            gzip.finish();
            out.flush();
        }
    }
}
