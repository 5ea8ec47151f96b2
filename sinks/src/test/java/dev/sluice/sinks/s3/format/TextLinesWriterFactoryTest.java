package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextLinesWriterFactoryTest {

    @TempDir java.nio.file.Path dir;

    /** Lines that compress differently at level 1 and 9, so the level shows in the file size. */
    private static List<StagedRow> rows(int n) {
        List<StagedRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"event_id\":\"e-%d\",\"user_id\":\"user-%d\",\"page\":\"/p/%d\"}",
                            i,
                            (i * 7919) % 1000,
                            (i * 104729) % 977);
            rows.add(new StagedRow("", json.getBytes(StandardCharsets.UTF_8)));
        }
        return rows;
    }

    private byte[] write(
            TextLinesWriterFactory<StagedRow> factory, List<StagedRow> rows, String name)
            throws IOException {
        Path path = new Path(dir.resolve(name).toUri());
        try (FSDataOutputStream out =
                FileSystem.getLocalFileSystem().create(path, FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<StagedRow> writer = factory.create(out);
            for (StagedRow row : rows) {
                writer.addElement(row);
            }
            writer.finish();
        }
        return Files.readAllBytes(dir.resolve(name));
    }

    private static String expected(List<StagedRow> rows) {
        StringBuilder text = new StringBuilder();
        rows.forEach(
                r -> text.append(new String(r.getBytes(), StandardCharsets.UTF_8)).append('\n'));
        return text.toString();
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyLevelWritesTheSameLinesAndTheLevelDecidesTheSize() throws IOException {
        // More than one 64 KiB buffer of lines, so buffered lines cross buffer boundaries.
        List<StagedRow> rows = rows(5_000);
        byte[] fastest =
                write(TextLinesWriterFactory.forRows(Compression.GZIP, 1), rows, "l1.json.gz");
        byte[] standard =
                write(TextLinesWriterFactory.forRows(Compression.GZIP, 6), rows, "l6.json.gz");
        byte[] smallest =
                write(TextLinesWriterFactory.forRows(Compression.GZIP, 9), rows, "l9.json.gz");

        assertThat(gunzip(fastest)).isEqualTo(expected(rows));
        assertThat(gunzip(standard)).isEqualTo(expected(rows));
        assertThat(gunzip(smallest)).isEqualTo(expected(rows));
        assertThat(fastest.length).isGreaterThan(standard.length);
        assertThat(standard.length).isGreaterThanOrEqualTo(smallest.length);
    }

    @Test
    void uncompressedLinesAreWrittenUnchanged() throws IOException {
        List<StagedRow> rows = rows(3_000);
        byte[] plain =
                write(
                        TextLinesWriterFactory.forRows(Compression.NONE, GzipLevel.DEFAULT),
                        rows,
                        "plain.json");
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(expected(rows));
    }

    @Test
    void aLevelOutsideOneToNineIsRefused() {
        assertThatThrownBy(() -> TextLinesWriterFactory.forRows(Compression.GZIP, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the GZIP level must be between 1 (fastest) and 9 (smallest), not 0");
        assertThatThrownBy(() -> FileFormat.json().withGzipLevel(10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 10");
    }

    @Test
    void theFastestLevelIsTheDefault() {
        assertThat(GzipLevel.DEFAULT).isEqualTo(GzipLevel.FASTEST);
        assertThat(FileFormat.json().gzipLevel()).isEqualTo(1);
    }

    @Test
    void aLevelIsOnlyForGzipFiles() {
        assertThat(FileFormat.json().withGzipLevel(6).gzipLevel()).isEqualTo(6);
        assertThat(FileFormat.json().withGzipLevel(6)).isNotEqualTo(FileFormat.json());
        assertThat(FileFormat.json(Compression.NONE).withGzipLevel(GzipLevel.DEFAULT))
                .isEqualTo(FileFormat.json(Compression.NONE));
        assertThatThrownBy(() -> FileFormat.json(Compression.NONE).withGzipLevel(6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a GZIP level applies only to GZIP files, and this output's are JSON");
    }
}
