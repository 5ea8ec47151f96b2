package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.IOException;

/**
 * Writes each record as one line of a GZIP-compressed file: the format of the error and backup
 * files, whose lines Sluice builds itself.
 *
 * <p>The same writer and the same one-line rule as a JSON-lines output ({@link
 * TextLinesWriterFactory}, {@link JsonLineEncoder#oneLine}), so the two can never disagree on what
 * a line is.
 */
public final class GzipJsonLinesWriterFactory implements BulkWriter.Factory<byte[]> {

    private static final long serialVersionUID = 1L;

    private final TextLinesWriterFactory<byte[]> lines =
            new TextLinesWriterFactory<>(Compression.GZIP, JsonLineEncoder::oneLine);

    @Override
    public BulkWriter<byte[]> create(FSDataOutputStream out) throws IOException {
        return lines.create(out);
    }
}
