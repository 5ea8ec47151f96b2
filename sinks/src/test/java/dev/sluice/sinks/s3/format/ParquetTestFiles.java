package dev.sluice.sinks.s3.format;

import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Reads a whole Parquet file held in memory (e.g. fetched from S3) with parquet-avro's reader. */
public final class ParquetTestFiles {

    private ParquetTestFiles() {}

    public static List<GenericRecord> records(byte[] file) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader =
                AvroParquetReader.<GenericRecord>builder(inputFile(file)).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
        }
        return records;
    }

    /** The codecs of every column chunk, as the footer records them. */
    public static Set<CompressionCodecName> codecs(byte[] file) throws IOException {
        Set<CompressionCodecName> codecs = EnumSet.noneOf(CompressionCodecName.class);
        try (ParquetFileReader reader = ParquetFileReader.open(inputFile(file))) {
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                for (ColumnChunkMetaData column : block.getColumns()) {
                    codecs.add(column.getCodec());
                }
            }
        }
        return codecs;
    }

    static InputFile inputFile(byte[] file) {
        return new InputFile() {
            @Override
            public long getLength() {
                return file.length;
            }

            @Override
            public SeekableInputStream newStream() {
                ByteArrayInputStream in = new ByteArrayInputStream(file);
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() {
                        return file.length - in.available();
                    }

                    @Override
                    public void seek(long position) {
                        in.reset();
                        in.skip(position);
                    }
                };
            }
        };
    }
}
