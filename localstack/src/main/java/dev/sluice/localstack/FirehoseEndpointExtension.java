package dev.sluice.localstack;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Objects;

/**
 * Starts one {@link FirehoseServer} per test class, writing to the S3Proxy of an {@link
 * S3ProxyExtension} registered before it, and stops it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FirehoseEndpointExtension FIREHOSE = new FirehoseEndpointExtension(S3);
 * ...
 * FIREHOSE.server().createDeliveryStream("clicks", "bucket", "firehose/");
 * }</pre>
 */
public final class FirehoseEndpointExtension implements BeforeAllCallback, AfterAllCallback {

    private final S3ProxyExtension s3;
    private FirehoseServer server;

    public FirehoseEndpointExtension(S3ProxyExtension s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = FirehoseServer.start(s3.client());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running endpoint; only valid between {@code beforeAll} and {@code afterAll}. */
    public FirehoseServer server() {
        if (server == null) {
            throw new IllegalStateException(
                    "the Firehose endpoint is not running: register the extension as a static"
                            + " field with @RegisterExtension, after the S3ProxyExtension");
        }
        return server;
    }
}
