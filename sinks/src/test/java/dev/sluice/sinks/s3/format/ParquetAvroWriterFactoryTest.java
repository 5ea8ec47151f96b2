package dev.sluice.sinks.s3.format;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Parquet writer on its own: encoded rows in, a Parquet file with the chosen codec out. */
class ParquetAvroWriterFactoryTest {

    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},"
                    + "{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"SNAPPY,SNAPPY", "ZSTD,ZSTD", "NONE,UNCOMPRESSED"})
    void writesEveryRowWithTheChosenCodec(Compression compression, CompressionCodecName codec)
            throws Exception {
        AvroRecordEncoder encoder = new AvroRecordEncoder(SCHEMA);
        Path file = dir.resolve("part.parquet");
        try (FSDataOutputStream out =
                new LocalFileSystem()
                        .create(
                                new org.apache.flink.core.fs.Path(file.toUri()),
                                FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<StagedRow> writer =
                    new ParquetAvroWriterFactory(SCHEMA, compression).create(out);
            for (int id = 1; id <= 3; id++) {
                String json =
                        id == 2 ? "{\"id\":2}" : "{\"id\":" + id + ",\"name\":\"n" + id + "\"}";
                writer.addElement(
                        new StagedRow("b/", encoder.encode(json.getBytes(StandardCharsets.UTF_8))));
            }
            writer.finish();
        }

        byte[] bytes = Files.readAllBytes(file);
        assertThat(ParquetTestFiles.codecs(bytes)).containsExactly(codec);
        List<GenericRecord> records = ParquetTestFiles.records(bytes);
        assertThat(
                        records.stream()
                                .map(r -> r.get("id") + ":" + r.get("name"))
                                .collect(Collectors.toList()))
                .containsExactly("1:n1", "2:null", "3:n3");
    }
}
