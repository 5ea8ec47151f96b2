package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The same rows written twice: as GZIP JSON-lines files, exactly as Sluice stages them, and as
 * plain CSV files for {@code psql \copy}, which cannot map JSON keys to columns.
 */
final class BenchmarkData {

    static final String[] COLUMNS = DemoEvents.COLUMNS.split(",");

    final List<Path> jsonGzipFiles = new ArrayList<>();
    final List<Path> csvFiles = new ArrayList<>();
    final long rows;
    long jsonBytes;

    private BenchmarkData(long rows) {
        this.rows = rows;
    }

    static BenchmarkData write(Path dir, int rows, int files) throws IOException {
        Files.createDirectories(dir);
        BenchmarkData data = new BenchmarkData(rows);
        ObjectMapper mapper = new ObjectMapper();
        DemoEvents events = new DemoEvents(rows, 7L);
        int perFile = (rows + files - 1) / files;
        for (int f = 0; f < files && events.hasNext(); f++) {
            Path json = dir.resolve(String.format("part-%03d.json.gz", f));
            Path csv = dir.resolve(String.format("part-%03d.csv", f));
            try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(json), 64 * 1024);
                    Writer csvOut =
                            new BufferedWriter(
                                    new OutputStreamWriter(
                                            Files.newOutputStream(csv), StandardCharsets.UTF_8),
                                    64 * 1024)) {
                for (int i = 0; i < perFile && events.hasNext(); i++) {
                    byte[] line = events.next().json();
                    gz.write(line);
                    gz.write('\n');
                    data.jsonBytes += line.length + 1;
                    writeCsvRow(mapper.readTree(line), csvOut);
                }
            }
            data.jsonGzipFiles.add(json);
            data.csvFiles.add(csv);
        }
        return data;
    }

    private static void writeCsvRow(JsonNode event, Writer out) throws IOException {
        for (int c = 0; c < COLUMNS.length; c++) {
            if (c > 0) {
                out.write(',');
            }
            out.write('"');
            out.write(event.path(COLUMNS[c]).asText().replace("\"", "\"\""));
            out.write('"');
        }
        out.write('\n');
    }
}
