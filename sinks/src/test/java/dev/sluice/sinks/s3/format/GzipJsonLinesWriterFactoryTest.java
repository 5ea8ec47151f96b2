package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class GzipJsonLinesWriterFactoryTest {

    @TempDir java.nio.file.Path dir;

    @Test
    void writesOneGzipLinePerRecordReadableByAStandardReader() throws IOException {
        String text =
                write(
                        "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                        "{\"b\":\"ü\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(text).isEqualTo("{\"a\":1}\n{\"b\":\"ü\"}\n");
    }

    @Test
    void aPrettyPrintedRecordStillBecomesExactlyOneLine() throws IOException {
        String text =
                write("{\r\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(text).isEqualTo("{    \"a\": 1,   \"b\": [1,  2] }\n");
        assertThat(text.lines()).hasSize(1);
    }

    @Test
    void finishingLeavesTheStreamOpenForTheFileSinkToCommit() throws IOException {
        Path path = new Path(dir.resolve("open.json.gz").toUri());
        try (FSDataOutputStream out =
                FileSystem.getLocalFileSystem().create(path, FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<byte[]> writer = new GzipJsonLinesWriterFactory().create(out);
            writer.addElement("{}".getBytes(StandardCharsets.UTF_8));
            writer.finish();
            out.write(new byte[0]); // still writable: FileSink, not the writer, closes it
        }
        assertThat(gunzip(Files.readAllBytes(dir.resolve("open.json.gz")))).isEqualTo("{}\n");
    }

    private String write(byte[]... records) throws IOException {
        Path path = new Path(dir.resolve("part.json.gz").toUri());
        try (FSDataOutputStream out =
                FileSystem.getLocalFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
            BulkWriter<byte[]> writer = new GzipJsonLinesWriterFactory().create(out);
            for (byte[] record : records) {
                writer.addElement(record);
            }
            writer.finish();
        }
        return gunzip(Files.readAllBytes(dir.resolve("part.json.gz")));
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes));
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
