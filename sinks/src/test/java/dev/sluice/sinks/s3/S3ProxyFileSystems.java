package dev.sluice.sinks.s3;

import dev.sluice.localstack.S3ProxyExtension;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;

/**
 * Points Flink's file systems in this JVM at S3Proxy, so {@code s3://} paths (FileSink's output,
 * the tests' reads) reach the stand-in. The local stack module cannot hold it, as it does not see
 * Flink; the job's tests could use it through the sinks test jar.
 */
public final class S3ProxyFileSystems {

    private S3ProxyFileSystems() {}

    /** Call from {@code @BeforeAll}, once the extension has started S3Proxy. */
    public static void initialize(S3ProxyExtension s3) {
        // Hadoop's S3A still uses AWS SDK v1, which prints a deprecation stack trace on load.
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        Configuration conf = new Configuration();
        s3.flinkS3Configuration().forEach(conf::setString);
        FileSystem.initialize(conf, null);
    }
}
