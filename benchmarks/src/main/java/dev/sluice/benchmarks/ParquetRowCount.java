package dev.sluice.benchmarks;

import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The number of rows a local Parquet file's footer records, read without Hadoop's file systems
 * (parquet 1.13 has no local {@code InputFile}, and Sluice ships only the Hadoop classes writing
 * needs).
 */
final class ParquetRowCount {

    private ParquetRowCount() {}

    static long of(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalFile(file))) {
            return reader.getRecordCount();
        }
    }

    private static final class LocalFile implements InputFile {
        private final Path path;

        LocalFile(Path path) {
            this.path = path;
        }

        @Override
        public long getLength() throws IOException {
            return java.nio.file.Files.size(path);
        }

        @Override
        public SeekableInputStream newStream() throws IOException {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
                @Override
                public long getPos() throws IOException {
                    return channel.position();
                }

                @Override
                public void seek(long position) throws IOException {
                    channel.position(position);
                }
            };
        }
    }
}
