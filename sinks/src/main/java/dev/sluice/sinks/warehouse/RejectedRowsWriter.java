package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.SourceRecordJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the rows the warehouse rejected from a load that otherwise went in, one GZIP JSON-lines
 * object per staged file that had any:
 *
 * <pre>
 * &lt;root&gt;errors/load-rejected/&lt;staged file name&gt;-&lt;12 hex of its url's SHA-256&gt;.json.gz
 * </pre>
 *
 * <p>Each line is an envelope in the shape of the other error files ({@code errorCode} {@value
 * #ERROR_CODE}, {@code errorMessage}, {@code rawData} as base64 of the staged line, {@code
 * attemptsMade}, {@code processingTimestamp}), so {@code ErrorFiles.read} reads it, plus {@code
 * stagedFile}, {@code line}, {@code column}, {@code sqlState} and {@code table}.
 *
 * <h2>Why this is exactly once</h2>
 *
 * <p>The loader writes these objects inside the load's transaction, after the COPY and before the
 * commit that records the staged files in the ledger, and the name depends only on the staged file,
 * like the ledger's own key. If the process dies between the write and the commit, nothing was
 * committed, so the file is loaded again by whichever load next gets it (in any grouping), its same
 * lines are rejected again and the same object is overwritten, not added to; once the commit has
 * happened, the ledger skips the file forever and the object is never written again. Writes happen
 * under the ledger lock, so two loaders never race on one object.
 */
final class RejectedRowsWriter {

    static final String ERROR_CODE = "LoadRejected";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String basePath;

    RejectedRowsWriter(String basePath) {
        this.basePath = basePath.endsWith("/") ? basePath : basePath + '/';
    }

    /** {@code …/errors/load-failed/} → {@code …/errors/load-rejected/}; else a subdirectory. */
    static RejectedRowsWriter besideFailedLoads(String failedLoadBasePath) {
        String suffix = "load-failed/";
        String base =
                failedLoadBasePath.endsWith(suffix)
                        ? failedLoadBasePath.substring(
                                        0, failedLoadBasePath.length() - suffix.length())
                                + "load-rejected/"
                        : (failedLoadBasePath.endsWith("/")
                                        ? failedLoadBasePath
                                        : failedLoadBasePath + '/')
                                + "load-rejected/";
        return new RejectedRowsWriter(base);
    }

    /** Where the rejected rows of one staged file go. */
    String pathFor(String stagedFileUrl) {
        String name = stagedFileUrl.substring(stagedFileUrl.lastIndexOf('/') + 1);
        for (String extension : List.of(".gz", ".json", ".jsonl", ".csv")) {
            if (name.endsWith(extension)) {
                name = name.substring(0, name.length() - extension.length());
            }
        }
        return basePath + name + '-' + shortHash(stagedFileUrl) + ".json.gz";
    }

    /**
     * Writes (overwriting) one object per staged file in {@code rows}.
     *
     * @return the objects written
     */
    List<String> write(TableName table, List<RejectedRow> rows, long processingTimestamp)
            throws IOException {
        Map<String, List<RejectedRow>> byFile = new LinkedHashMap<>();
        for (RejectedRow row : rows) {
            byFile.computeIfAbsent(row.fileUrl(), f -> new ArrayList<>()).add(row);
        }
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, List<RejectedRow>> file : byFile.entrySet()) {
            String location = pathFor(file.getKey());
            Path path = new Path(location);
            FileSystem fileSystem = FileSystem.get(path.toUri());
            try (FSDataOutputStream raw = fileSystem.create(path, FileSystem.WriteMode.OVERWRITE);
                    OutputStream out = new GZIPOutputStream(raw)) {
                for (RejectedRow row : file.getValue()) {
                    out.write(toJson(table, row, processingTimestamp));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new IOException("Cannot write " + location, e);
            }
            written.add(location);
        }
        return written;
    }

    static byte[] toJson(TableName table, RejectedRow row, long processingTimestamp) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("errorCode", ERROR_CODE);
        node.put(
                "errorMessage",
                (row.column() == null ? "" : "column " + row.column() + ": ") + row.message());
        SourceRecordJson.putRawData(node, row.rawLine());
        node.put("attemptsMade", 1);
        node.put("processingTimestamp", processingTimestamp);
        node.put("stagedFile", row.fileUrl());
        node.put("line", row.line());
        node.put("column", row.column());
        node.put("sqlState", row.code());
        node.put("table", table.toString());
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortHash(String url) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
