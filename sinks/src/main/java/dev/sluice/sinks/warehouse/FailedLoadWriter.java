package dev.sluice.sinks.warehouse;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Puts a load that gave up where people and {@code ./sluice replay} find it:
 *
 * <pre>
 * &lt;failedLoadBasePath&gt;YYYY/MM/dd/HH/&lt;load-id&gt;.manifest     the files, as a COPY manifest
 * &lt;failedLoadBasePath&gt;YYYY/MM/dd/HH/&lt;load-id&gt;.error.json   {@link FailedLoad}
 * </pre>
 *
 * <p>The hour is when the loader gave up, in UTC, as Firehose names its error prefixes. The
 * manifest is written first: it alone is enough to recover the rows. Both are overwritten if the
 * same load gives up twice (after a recovery), which is harmless: same files, same id.
 *
 * <p>These files are the record of the failure, on purpose not a warehouse table: the most common
 * reason to give up is that the warehouse is unreachable, and then it cannot take a record either.
 * S3 is where the staged data already lives, so if S3 is down no load was possible in the first
 * place.
 */
final class FailedLoadWriter {

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);

    private final String basePath;

    public FailedLoadWriter(String basePath) {
        this.basePath = basePath.endsWith("/") ? basePath : basePath + '/';
    }

    /** Where the manifest of a load that gave up at {@code failedAt} goes. */
    public String manifestPath(LoadId loadId, Instant failedAt) {
        return basePath + HOUR.format(failedAt) + loadId.value() + ".manifest";
    }

    /** The error document beside a load-failed manifest. */
    public static String errorPath(String manifestPath) {
        return manifestPath.substring(0, manifestPath.length() - ".manifest".length())
                + ".error.json";
    }

    /**
     * Writes both files.
     *
     * @return the manifest's path
     */
    public String write(Manifest manifest, FailedLoad failure, Instant failedAt)
            throws IOException {
        String manifestPath = manifestPath(new LoadId(failure.loadId()), failedAt);
        write(manifestPath, manifest.toJsonBytes());
        write(errorPath(manifestPath), failure.toJsonBytes());
        return manifestPath;
    }

    private static void write(String location, byte[] content) throws IOException {
        Path path = new Path(location);
        FileSystem fileSystem = FileSystem.get(path.toUri());
        try (FSDataOutputStream out = fileSystem.create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(content);
        } catch (IOException e) {
            throw new IOException("Cannot write " + location, e);
        }
    }
}
