package dev.sluice.localstack;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts one {@link S3ProxyServer} per test class in a temporary directory, and stops it and
 * deletes the directory afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final S3ProxyExtension S3 = new S3ProxyExtension();
 * ...
 * S3.createBucket("sluice");
 * FileSystem.initialize(Configuration.fromMap(S3.flinkS3Configuration()), null);
 * }</pre>
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    private Path workDir;
    private S3ProxyServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        workDir = TempDirectories.create("sluice-s3proxy-");
        server = S3ProxyServer.start(workDir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            TempDirectories.deleteQuietly(workDir);
            workDir = null;
        }
    }

    /** The running server; only valid between {@code beforeAll} and {@code afterAll}. */
    public S3ProxyServer server() {
        if (server == null) {
            throw new IllegalStateException(
                    "S3Proxy is not running: register the extension as a static field with @RegisterExtension");
        }
        return server;
    }

    public String endpoint() {
        return server().endpoint();
    }

    public String accessKey() {
        return server().accessKey();
    }

    public String secretKey() {
        return server().secretKey();
    }

    public String region() {
        return server().region();
    }

    public S3Client client() {
        return server().client();
    }

    public void createBucket(String bucket) {
        server().createBucket(bucket);
    }

    public List<String> listKeys(String bucket, String prefix) {
        return server().listKeys(bucket, prefix);
    }

    public List<String> listAllKeys(String bucket, String prefix) {
        return server().listAllKeys(bucket, prefix);
    }

    public byte[] getObject(String bucket, String key) {
        return server().getObject(bucket, key);
    }

    public void putObject(String bucket, String key, byte[] content) {
        server().putObject(bucket, key, content);
    }

    public Map<String, String> flinkS3Configuration() {
        return server().flinkS3Configuration();
    }
}
