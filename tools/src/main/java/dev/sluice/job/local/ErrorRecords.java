package dev.sluice.job.local;

import dev.sluice.localstack.S3ProxyServer;
import dev.sluice.sinks.s3.errors.ErrorFiles;
import dev.sluice.sinks.s3.errors.ErrorOutput;

/**
 * Counts the records a run sent to {@code errors/}: lines of the record-bearing error files
 * (rejected rows included), not objects, and never the manifests and {@code .error.json} documents
 * of {@code errors/load-failed/}. The local run and the chaos suite account with it.
 */
public final class ErrorRecords {

    private ErrorRecords() {}

    /** Error records under {@code <prefix>errors/} of {@code bucket}. */
    public static long count(S3ProxyServer s3, String bucket, String prefix) {
        long lines = 0;
        for (String key : s3.listKeys(bucket, prefix + ErrorOutput.ERRORS_DIRECTORY + "/")) {
            if (ErrorFiles.holdsRecords(key)) {
                lines += ErrorFiles.read(s3.getObject(bucket, key)).size();
            }
        }
        return lines;
    }
}
