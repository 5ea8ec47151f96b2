package dev.sluice.sinks.s3.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building an output's format: defaults, suffixes, and the start-up checks. */
class FileFormatTest {

    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";

    @TempDir Path dir;

    @Test
    void eachFormatHasItsDefaultCompressionAndFileSuffix() {
        assertThat(FileFormat.csv(List.of("id"), null).compression()).isEqualTo(Compression.GZIP);
        assertThat(FileFormat.csv(List.of("id"), null).fileSuffix()).isEqualTo(".csv.gz");
        assertThat(FileFormat.csv(List.of("id"), Compression.NONE).fileSuffix()).isEqualTo(".csv");
        assertThat(FileFormat.parquet(SCHEMA, null).compression()).isEqualTo(Compression.SNAPPY);
        assertThat(FileFormat.parquet(SCHEMA, Compression.ZSTD).fileSuffix()).isEqualTo(".parquet");
        assertThat(FileFormat.json().fileSuffix()).isEqualTo(".json.gz");
    }

    @Test
    void aCompressionTheFormatCannotUseFailsAtConstruction() {
        assertThatThrownBy(() -> FileFormat.csv(List.of("id"), Compression.SNAPPY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compression SNAPPY is not available for CSV");
        assertThatThrownBy(() -> FileFormat.parquet(SCHEMA, Compression.GZIP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compression GZIP is not available for PARQUET");
    }

    @Test
    void csvColumnsAreCheckedAtConstruction() {
        assertThatThrownBy(() -> FileFormat.csv(List.of("a", "A"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
    }

    @Test
    void aSchemaFileIsReadAndChecked() throws Exception {
        Path good = Files.writeString(dir.resolve("good.avsc"), SCHEMA);
        assertThat(FileFormat.readAvroSchema(good)).isEqualTo(SCHEMA);

        assertThatThrownBy(() -> FileFormat.readAvroSchema(dir.resolve("missing.avsc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Avro schema file " + dir.resolve("missing.avsc") + " does not exist");
        Path invalid = Files.writeString(dir.resolve("invalid.avsc"), "{\"type\":\"record\"");
        assertThatThrownBy(() -> FileFormat.readAvroSchema(invalid))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "Avro schema file " + invalid + ": not a valid Avro schema");
        Path notRecord =
                Files.writeString(
                        dir.resolve("array.avsc"), "{\"type\":\"array\",\"items\":\"int\"}");
        assertThatThrownBy(() -> FileFormat.readAvroSchema(notRecord))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Avro schema file "
                                + notRecord
                                + ": a Parquet schema must be an Avro record (\"type\": \"record\"), not array");
        assertThatThrownBy(() -> FileFormat.parquet("\"int\"", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an Avro record");
    }

    @Test
    void eachFormatGivesItsEncoderAndWriter() {
        assertThat(FileFormat.csv(List.of("id"), null).encoder()).isInstanceOf(CsvEncoder.class);
        assertThat(FileFormat.csv(List.of("id"), null).writerFactory())
                .isInstanceOf(TextLinesWriterFactory.class);
        assertThat(FileFormat.parquet(SCHEMA, null).encoder())
                .isInstanceOf(AvroRecordEncoder.class);
        assertThat(FileFormat.parquet(SCHEMA, null).writerFactory())
                .isInstanceOf(ParquetAvroWriterFactory.class);
    }
}
