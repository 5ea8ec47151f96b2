package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.JsonCsvRow;
import dev.sluice.sinks.s3.format.OutputFormat;

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import javax.annotation.Nullable;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Loads into PostgreSQL, which cannot read S3: each file of the manifest is read through Flink's
 * {@link FileSystem} (S3 in production, local files in tests), gunzipped, converted from JSON lines
 * to CSV by {@link JsonAutoCsvTranscoder} and streamed through pgjdbc's {@link CopyManager}:
 *
 * <pre>{@code
 * COPY "schema"."table" ("c1","c2") FROM STDIN WITH (FORMAT csv, NULL E'\\N')
 * }</pre>
 *
 * <p>One COPY per file, so an error names the file it came from; all of them run in the loader's
 * transaction, so a failure in any file leaves nothing behind.
 *
 * <p>Of the Firehose {@code CopyOptions}, this dialect honours {@code JSON 'auto'}, {@code JSON
 * 'auto ignorecase'}, {@code GZIP}, {@code EMPTYASNULL} and {@code BLANKSASNULL}. Options that
 * change the input format (CSV, Parquet, JSONPaths, …) are rejected when the configuration is
 * built; the rest (e.g. {@code TIMEFORMAT 'auto'}) are ignored, because PostgreSQL's own input
 * parsing already accepts ISO timestamps. Files are gunzipped when the options say {@code GZIP} or
 * their name ends in {@code .gz}.
 *
 * <p>CSV staged files are already what {@code COPY … WITH (FORMAT csv)} reads (NULL as the marker
 * of {@link JsonCsvRow}), so their bytes are streamed to the server as they are (gunzipped when the
 * name ends in {@code .gz}): by {@link #copy} without being parsed on the way, the speed of {@code
 * psql \copy}; by {@link #copyIsolatingRejects}, the loader's path, split into records by {@link
 * CsvRecords} so that a rejected record can be taken out. Parquet staged files are refused when the
 * configuration is built (see {@link CopyFormat}).
 */
final class PostgresDialect implements WarehouseDialect {

    private static final long serialVersionUID = 1L;

    static final PostgresDialect INSTANCE = new PostgresDialect();

    /** PostgreSQL silently truncates longer identifiers (NAMEDATALEN - 1). */
    static final int MAX_IDENTIFIER_BYTES = 63;

    private static final int BUFFER_BYTES = 64 * 1024;

    /** Options for JSON lines it cannot reproduce; other formats are refused by CopyFormat. */
    private static final Set<String> UNSUPPORTED_FORMAT_OPTIONS =
            Set.of("DELIMITER", "BZIP2", "LZOP", "ZSTD", "NOSHRED");

    private PostgresDialect() {}

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public int maxIdentifierBytes() {
        return MAX_IDENTIFIER_BYTES;
    }

    @Override
    public void validate(CopyTarget target) {
        if (target.columns().isEmpty()) {
            throw new IllegalArgumentException(
                    "The postgres dialect needs the column list (DataTableColumns): it maps JSON"
                            + " keys or CSV fields to those columns");
        }
        if (target.stagingFormat().format() != OutputFormat.JSON) {
            // CopyFormat has checked the options against CSV; Parquet never gets here.
            return;
        }
        CopyOptions options = target.copyOptions();
        for (CopyOptions.Token token : options.tokens()) {
            String keyword = token.keyword();
            if (keyword != null && UNSUPPORTED_FORMAT_OPTIONS.contains(keyword)) {
                throw new IllegalArgumentException(
                        "The postgres dialect reads JSON lines plain or GZIP; CopyOptions "
                                + SqlIdentifiers.describe(options.text())
                                + " ask for "
                                + keyword);
            }
        }
        String json = options.jsonArgument();
        String mode = json == null ? null : json.trim().toLowerCase(Locale.ROOT);
        if (!"auto".equals(mode) && !"auto ignorecase".equals(mode)) {
            throw new IllegalArgumentException(
                    "The postgres dialect loads JSON lines with JSON 'auto' or JSON 'auto"
                            + " ignorecase'; CopyOptions "
                            + SqlIdentifiers.describe(options.text())
                            + (json == null
                                    ? " does not say JSON"
                                    : " asks for JSON '" + json + "'"));
        }
    }

    @Override
    public String lockStatement(String quotedLockTable) {
        // EXCLUSIVE conflicts with itself, so loaders of one target queue here; the lock table
        // is the target's own, so the ledger and other targets' loads are untouched.
        return "LOCK TABLE " + quotedLockTable + " IN EXCLUSIVE MODE";
    }

    @Override
    public boolean declaresPrimaryKeys() {
        return true;
    }

    @Override
    public String warehouseUrl(String url) {
        return url;
    }

    @Override
    public long copy(
            Connection connection, CopyTarget target, Manifest manifest, String manifestUrl)
            throws SQLException, IOException {
        CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        String sql = copyStatement(target.table(), target.columns());
        if (target.stagingFormat().format() == OutputFormat.CSV) {
            long rows = 0;
            for (Manifest.Entry entry : manifest.entries()) {
                rows += copyCsvFile(copyManager, sql, entry.url(), target);
            }
            return rows;
        }
        RowSource source = rowSource(target);
        boolean gzipAll = gzipAll(target);
        long rows = 0;
        for (Manifest.Entry entry : manifest.entries()) {
            rows += copyFile(copyManager, sql, source, entry.url(), gzipAll, target, null, null);
        }
        return rows;
    }

    /** Sends one staged file's rows into a running COPY, leaving out the rows a filter names. */
    private interface RowSource {
        /**
         * @param skip rows to leave out, or null
         * @param rows told of every row of the file not sent, or null
         * @return the rows sent
         */
        long send(
                String url,
                InputStream in,
                OutputStream copy,
                @Nullable CsvRecords.RecordFilter skip,
                @Nullable RowLineMap rows)
                throws IOException;

        /**
         * The file's row (1-based) that COPY's error {@code line} names, after a {@link #send} with
         * {@code rows} and {@code skipped}; -1 if it cannot tell.
         */
        long rowOf(String url, long copyLine, RowLineMap rows, Set<Long> skipped)
                throws IOException;
    }

    /**
     * JSON lines through {@link JsonAutoCsvTranscoder}, a row per line; CSV as its records are
     * ({@link CsvRecords}), a row per record, which may span lines.
     */
    private static RowSource rowSource(CopyTarget target) {
        boolean gzipAll = gzipAll(target);
        if (target.stagingFormat().format() == OutputFormat.CSV) {
            return new RowSource() {
                @Override
                public long send(
                        String url,
                        InputStream in,
                        OutputStream copy,
                        @Nullable CsvRecords.RecordFilter skip,
                        @Nullable RowLineMap rows)
                        throws IOException {
                    return CsvRecords.copy(in, copy, skip);
                }

                @Override
                public long rowOf(String url, long copyLine, RowLineMap rows, Set<Long> skipped)
                        throws IOException {
                    try (InputStream in = open(url, gzipAll)) {
                        long[] record = CsvRecords.recordAtSentLine(in, skipped, copyLine);
                        return record == null ? -1 : record[0];
                    }
                }
            };
        }
        JsonAutoCsvTranscoder transcoder =
                JsonAutoCsvTranscoder.forOptions(target.columns(), target.copyOptions());
        return new RowSource() {
            @Override
            public long send(
                    String url,
                    InputStream in,
                    OutputStream copy,
                    @Nullable CsvRecords.RecordFilter skip,
                    @Nullable RowLineMap rows)
                    throws IOException {
                OutputStream csv = new BufferedOutputStream(copy, BUFFER_BYTES);
                long sent =
                        transcoder.transcode(
                                url,
                                in,
                                csv,
                                skip == null ? null : (line, bytes) -> skip.skip(line, line, bytes),
                                rows);
                csv.flush();
                return sent;
            }

            @Override
            public long rowOf(String url, long copyLine, RowLineMap rows, Set<Long> skipped) {
                return rows.sourceLine(copyLine);
            }
        };
    }

    /** JSON files are gunzipped when the options say GZIP; any file when its name ends in .gz. */
    private static boolean gzipAll(CopyTarget target) {
        return target.stagingFormat().format() == OutputFormat.JSON
                && target.copyOptions().hasKeyword("GZIP");
    }

    /**
     * Loads staged files row by row where needed: each file is COPYed under a savepoint; when
     * PostgreSQL rejects a row for its value (SQLState class {@code 22} or {@code 23}) or a JSON
     * line is not a JSON object, the savepoint is rolled back, that row is taken out, and the file
     * is COPYed again without it, until it goes in. The error's {@code line} counts the rows COPY
     * was sent, which {@link RowLineMap} turns back into the file's row: a JSON line, or a CSV
     * record ({@link CsvRecords}; a quoted field may hold line breaks, so the envelope's line is
     * the one the record starts on). Each rejected row costs one more pass over its file, so more
     * than {@code maxRejectedRows} in one load fail it whole (as a data error, with the reason), as
     * does a failure that names no line or names a row taken out already.
     */
    @Override
    public CopyResult copyIsolatingRejects(
            Connection connection,
            CopyTarget target,
            Manifest manifest,
            String manifestUrl,
            int maxRejectedRows)
            throws SQLException, IOException {
        CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        String sql = copyStatement(target.table(), target.columns());
        RowSource source = rowSource(target);
        boolean gzipAll = gzipAll(target);
        long rows = 0;
        List<RejectedRow> rejected = new ArrayList<>();
        for (Manifest.Entry entry : manifest.entries()) {
            String url = entry.url();
            Map<Long, LoadErrorDetail> rejectedLines = new TreeMap<>();
            Map<Long, byte[]> rawLines = new HashMap<>();
            Map<Long, Long> firstLines = new HashMap<>();
            CsvRecords.RecordFilter skip =
                    (row, firstLine, bytes) -> {
                        if (!rejectedLines.containsKey(row)) {
                            return false;
                        }
                        byte[] raw = new byte[bytes.remaining()];
                        bytes.get(raw);
                        rawLines.put(row, raw);
                        firstLines.put(row, firstLine);
                        return true;
                    };
            while (true) {
                RowLineMap rowLines = new RowLineMap();
                Savepoint savepoint = connection.setSavepoint();
                long line;
                LoadErrorDetail detail;
                Exception failure;
                try {
                    rows +=
                            copyFile(
                                    copyManager, sql, source, url, gzipAll, target, skip, rowLines);
                    connection.releaseSavepoint(savepoint);
                    break;
                } catch (LoadRejectedException e) {
                    if (!isRowLevel(e.getSQLState())
                            || e.details().isEmpty()
                            || e.details().get(0).line() <= 0) {
                        throw e;
                    }
                    LoadErrorDetail copyDetail = e.details().get(0);
                    line = source.rowOf(url, copyDetail.line(), rowLines, rejectedLines.keySet());
                    if (line <= 0) {
                        throw e;
                    }
                    detail =
                            new LoadErrorDetail(
                                    url,
                                    line,
                                    copyDetail.column(),
                                    copyDetail.code(),
                                    copyDetail.message());
                    failure = e;
                } catch (MalformedRecordException e) {
                    line = e.lineNumber();
                    detail = new LoadErrorDetail(url, line, null, null, problem(e.getMessage()));
                    failure = e;
                }
                connection.rollback(savepoint);
                if (rejectedLines.containsKey(line)) {
                    // No progress: never loop.
                    if (failure instanceof SQLException) {
                        throw (SQLException) failure;
                    }
                    throw (IOException) failure;
                }
                rejectedLines.put(line, detail);
                if (rejected.size() + rejectedLines.size() > maxRejectedRows) {
                    SQLException tooMany =
                            new SQLException(
                                    "More than "
                                            + maxRejectedRows
                                            + " rows of this load were rejected; the load is"
                                            + " written off whole",
                                    "22000");
                    tooMany.initCause(failure);
                    throw new LoadRejectedException(
                            tooMany.getMessage(), tooMany, List.copyOf(rejectedLines.values()));
                }
            }
            for (Map.Entry<Long, LoadErrorDetail> r : rejectedLines.entrySet()) {
                LoadErrorDetail d = r.getValue();
                rejected.add(
                        new RejectedRow(
                                url,
                                firstLines.getOrDefault(r.getKey(), r.getKey()),
                                d.column(),
                                d.code(),
                                d.message(),
                                rawLines.getOrDefault(r.getKey(), new byte[0])));
            }
        }
        return new CopyResult(rows, rejected);
    }

    /** Data exception or integrity violation: a problem of one row's values. */
    private static boolean isRowLevel(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"));
    }

    /** {@code Cannot load <url>:<line>: <problem>} → {@code <problem>}. */
    private static String problem(String message) {
        int at = message == null ? -1 : message.indexOf(": ");
        return at < 0 ? String.valueOf(message) : message.substring(at + 2);
    }

    /** The COPY statement for one file; pure so that tests can pin it. */
    static String copyStatement(TableName table, List<String> columns) {
        return "COPY "
                + table.quoted()
                + " ("
                + SqlIdentifiers.quoteAll(columns)
                + ") FROM STDIN WITH (FORMAT csv, NULL E'"
                + JsonCsvRow.NULL_MARKER.replace("\\", "\\\\")
                + "')";
    }

    private static long copyFile(
            CopyManager copyManager,
            String sql,
            RowSource source,
            String url,
            boolean gzipAll,
            CopyTarget target,
            @Nullable CsvRecords.RecordFilter skip,
            @Nullable RowLineMap rowLines)
            throws SQLException, IOException {
        CopyIn copyIn = copyManager.copyIn(sql);
        try (InputStream in = open(url, gzipAll)) {
            PGCopyOutputStream copyStream = new PGCopyOutputStream(copyIn, BUFFER_BYTES);
            source.send(url, in, copyStream, skip, rowLines);
            copyStream.flush();
            return copyStream.endCopy();
        } catch (SQLException e) {
            throw failedCopy(url, target, e);
        } catch (MalformedRecordException e) {
            throw e;
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException) {
                // PGCopyOutputStream reports server errors as IOExceptions.
                throw failedCopy(url, target, (SQLException) e.getCause());
            }
            throw new IOException("Cannot read the staged file " + url + ": " + e.getMessage(), e);
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }

    /** Streams a staged CSV file's bytes into COPY unchanged. */
    private static long copyCsvFile(
            CopyManager copyManager, String sql, String url, CopyTarget target)
            throws SQLException, IOException {
        CopyIn copyIn = copyManager.copyIn(sql);
        try (InputStream in = open(url, false)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                copyIn.writeToCopy(buffer, 0, read);
            }
            return copyIn.endCopy();
        } catch (SQLException e) {
            throw failedCopy(url, target, e);
        } catch (IOException e) {
            throw new IOException("Cannot read the staged file " + url + ": " + e.getMessage(), e);
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }

    /**
     * The COPY error with the file, line and column it names, for the load-failed error document.
     * PostgreSQL's message quotes the rejected value; that is left out of the message.
     */
    private static SQLException failedCopy(String url, CopyTarget target, SQLException e) {
        String reason = ErrorMessages.withoutValues(firstLine(e.getMessage()));
        LoadErrorDetail detail = detail(url, e, reason);
        return new LoadRejectedException(
                "COPY of "
                        + url
                        + (detail.line() > 0 ? " line " + detail.line() : "")
                        + (detail.column() != null ? " column " + detail.column() : "")
                        + " into "
                        + target.table()
                        + " failed: "
                        + reason,
                e,
                List.of(detail));
    }

    private static final Pattern WHERE_LINE = Pattern.compile("\\bline (\\d+)");
    private static final Pattern WHERE_COLUMN = Pattern.compile("\\bcolumn ([^:,]+)");

    /** Reads {@code COPY t, line 3, column n: "…"} from the server's error context. */
    static LoadErrorDetail detail(String url, SQLException e, String reason) {
        long line = 0;
        String column = null;
        if (e instanceof PSQLException && ((PSQLException) e).getServerErrorMessage() != null) {
            ServerErrorMessage server = ((PSQLException) e).getServerErrorMessage();
            String where = server.getWhere();
            if (where != null) {
                Matcher lineMatch = WHERE_LINE.matcher(where);
                if (lineMatch.find()) {
                    line = Long.parseLong(lineMatch.group(1));
                }
                Matcher columnMatch = WHERE_COLUMN.matcher(where);
                if (columnMatch.find()) {
                    column = columnMatch.group(1).trim();
                }
            }
            if (server.getMessage() != null) {
                reason = ErrorMessages.withoutValues(server.getMessage());
            }
        }
        return new LoadErrorDetail(url, line, column, e.getSQLState(), reason);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static InputStream open(String url, boolean gzipAll) throws IOException {
        Path path = new Path(url);
        InputStream in = FileSystem.get(path.toUri()).open(path);
        if (gzipAll || url.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            try {
                return new GZIPInputStream(in, BUFFER_BYTES);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }
        return new BufferedInputStream(in, BUFFER_BYTES);
    }

    /** There is one instance; keep it so after Java deserialization. */
    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return name();
    }
}
