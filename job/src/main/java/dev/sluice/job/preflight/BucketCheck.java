package dev.sluice.job.preflight;

import dev.sluice.job.config.StagingOptions;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Whether the job can write where it stages: puts a small probe object under the staging root
 * through Flink's own file system (the one {@code FileSink} writes with, configured by the caller)
 * and deletes it again.
 */
final class BucketCheck {

    private BucketCheck() {}

    static CheckResult check(String bucket, String rootUri) {
        Path probe = new Path(rootUri + ".sluice-check-" + UUID.randomUUID() + ".probe");
        String step = "put";
        try {
            FileSystem fileSystem = probe.getFileSystem();
            try (FSDataOutputStream out =
                    fileSystem.create(probe, FileSystem.WriteMode.NO_OVERWRITE)) {
                out.write("sluice check probe\n".getBytes(StandardCharsets.UTF_8));
            }
            step = "delete";
            fileSystem.delete(probe, false);
            return CheckResult.ok(
                    "bucket '" + bucket + "': a probe object was put and deleted under " + rootUri);
        } catch (IOException | RuntimeException e) {
            String text = causes(e);
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("nosuchbucket") || lower.contains("does not exist")) {
                return CheckResult.fail(
                        StagingOptions.GROUP,
                        StagingOptions.BUCKET.key(),
                        "bucket '" + bucket + "' does not exist",
                        "create it, or fix the bucket name");
            }
            if (lower.contains("403")
                    || lower.contains("accessdenied")
                    || lower.contains("access denied")
                    || lower.contains("forbidden")
                    || lower.contains("signaturedoesnotmatch")
                    || lower.contains("invalidaccesskeyid")) {
                return CheckResult.fail(
                        StagingOptions.GROUP,
                        StagingOptions.BUCKET.key(),
                        "access denied to " + step + " an object under " + rootUri,
                        "give the job's credentials s3:PutObject and s3:DeleteObject there"
                                + " (locally: s3.access-key and s3.secret-key)");
            }
            return CheckResult.fail(
                    StagingOptions.GROUP,
                    StagingOptions.BUCKET.key(),
                    "cannot " + step + " an object under " + rootUri + ": " + firstMessage(e),
                    "check the bucket, its endpoint (s3.endpoint) and the network path to it");
        }
    }

    /** Every message and class name of the cause chain, to recognise the S3 error codes in. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t.getClass().getSimpleName())
                    .append(": ")
                    .append(t.getMessage())
                    .append('\n');
            if (t instanceof FileNotFoundException
                    && String.valueOf(t.getMessage()).contains("Bucket")) {
                text.append("NoSuchBucket\n");
            }
        }
        return text.toString();
    }

    private static String firstMessage(Throwable e) {
        return e.getClass().getSimpleName() + ": " + CheckResult.oneLine(e.getMessage());
    }
}
