package dev.sluice.job.jar;

import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.StagedRow;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Writes one demo event in every Parquet codec and in CSV, through the classes it is loaded with.
 * {@link ShadedJarITCase} loads it next to the job jar and Flink alone, so it only works if the jar
 * brings everything those writers need at run time that Flink does not (Parquet, Avro, Hadoop's
 * configuration classes, the codecs' native libraries).
 *
 * <p>Returns the written file sizes, one per format.
 */
public class FormatWriterProbe implements Callable<List<Long>> {

    static final String SCHEMA_FILE = "SLUICE_PROBE_SCHEMA";

    private static final byte[] EVENT =
            ("{\"event_id\":\"e-1\",\"user_id\":\"u-1\",\"event_type\":\"click\","
                            + "\"page_url\":\"/\",\"event_timestamp\":\"2026-11-22T08:00:00Z\","
                            + "\"user_agent\":\"probe\"}")
                    .getBytes(StandardCharsets.UTF_8);

    @Override
    public List<Long> call() throws Exception {
        String schema = FileFormat.readAvroSchema(Path.of(System.getProperty(SCHEMA_FILE)));
        List<FileFormat> formats =
                List.of(
                        FileFormat.parquet(schema, Compression.SNAPPY),
                        FileFormat.parquet(schema, Compression.ZSTD),
                        FileFormat.parquet(schema, Compression.NONE),
                        FileFormat.csv(List.of("event_id", "user_id"), Compression.GZIP));
        List<Long> sizes = new ArrayList<>();
        for (FileFormat format : formats) {
            Path file = Files.createTempFile("sluice-probe", format.fileSuffix());
            try {
                org.apache.flink.core.fs.Path path =
                        new org.apache.flink.core.fs.Path(file.toUri());
                try (FSDataOutputStream out =
                        FileSystem.getLocalFileSystem()
                                .create(path, FileSystem.WriteMode.OVERWRITE)) {
                    BulkWriter<StagedRow> writer = format.writerFactory().create(out);
                    writer.addElement(new StagedRow("probe/", format.encoder().encode(EVENT)));
                    writer.finish();
                }
                sizes.add(Files.size(file));
            } finally {
                Files.deleteIfExists(file);
            }
        }
        return sizes;
    }
}
