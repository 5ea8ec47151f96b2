package dev.sluice.sinks.warehouse;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Loads the manifests that {@link FailedLoadWriter} left in {@code errors/load-failed/}, through
 * the same {@link WarehouseLoader} and ledger as the job: files the ledger already holds (because
 * an earlier attempt or an earlier replay loaded them) are skipped, so replaying is exactly-once
 * however often it runs, and may run while the job runs.
 *
 * <p>The manifests stay where they are after a replay: they are the audit trail, and the ledger,
 * not their presence, says what is loaded. A replay does not retry: a failure is reported to
 * whoever runs it, who can fix the cause and run it again.
 *
 * <p>A manifest whose error document names another target table is refused, so that pointing the
 * replay at the wrong configuration cannot load rows into the wrong table.
 */
public final class FailedLoadReplayer {

    /** What replaying one manifest did. */
    public record Replayed(String manifestPath, LoadResult result) {}

    private final WarehouseLoader loader;

    public FailedLoadReplayer(WarehouseLoader loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** Every {@code .manifest} under the configured failed-load path, sorted by path. */
    public List<String> list() throws IOException {
        Path base = new Path(loader.config().ledger().failedLoadBasePath());
        FileSystem fileSystem = FileSystem.get(base.toUri());
        List<String> manifests = new ArrayList<>();
        collect(fileSystem, base, manifests);
        manifests.sort(null);
        return manifests;
    }

    private static void collect(FileSystem fileSystem, Path directory, List<String> out)
            throws IOException {
        FileStatus[] children;
        try {
            children = fileSystem.listStatus(directory);
        } catch (FileNotFoundException e) {
            return;
        }
        if (children == null) {
            return;
        }
        for (FileStatus child : children) {
            if (child.isDir()) {
                collect(fileSystem, child.getPath(), out);
            } else if (child.getPath().getName().endsWith(".manifest")) {
                out.add(child.getPath().toString());
            }
        }
    }

    /** Replays every load-failed manifest, oldest hour first; stops at the first failure. */
    public List<Replayed> replayAll() throws IOException, SQLException {
        List<Replayed> replayed = new ArrayList<>();
        for (String manifest : list()) {
            replayed.add(replay(manifest));
        }
        return replayed;
    }

    /** Loads the files of one load-failed manifest that the ledger does not hold yet. */
    public Replayed replay(String manifestPath) throws IOException, SQLException {
        Manifest manifest = Manifest.parse(read(manifestPath));
        long checkpointId = -1;
        String errorPath = FailedLoadWriter.errorPath(manifestPath);
        if (exists(errorPath)) {
            FailedLoad failure = FailedLoad.parse(read(errorPath).getBytes(StandardCharsets.UTF_8));
            String target = loader.config().target().table().toString();
            if (!target.equals(failure.targetTable())) {
                throw new IllegalArgumentException(
                        "The load-failed manifest "
                                + manifestPath
                                + " was meant for table "
                                + failure.targetTable()
                                + ", not "
                                + target
                                + "; replay it with that table's configuration");
            }
            checkpointId = failure.checkpointId();
        }
        if (manifest.entries().isEmpty()) {
            return new Replayed(manifestPath, LoadResult.skipped(checkpointId, List.of()));
        }
        return new Replayed(manifestPath, loader.load(checkpointId, manifest.files()));
    }

    private static boolean exists(String location) throws IOException {
        Path path = new Path(location);
        return FileSystem.get(path.toUri()).exists(path);
    }

    private static String read(String location) throws IOException {
        Path path = new Path(location);
        try (FSDataInputStream in = FileSystem.get(path.toUri()).open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
