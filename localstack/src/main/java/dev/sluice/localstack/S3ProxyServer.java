package dev.sluice.localstack;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * An S3-compatible server on 127.0.0.1 for tests and the local run: <a
 * href="https://github.com/gaul/s3proxy">S3Proxy</a> in its own JVM, storing objects under a
 * directory.
 *
 * <p>Why its own process rather than S3Proxy embedded: its jar-with-dependencies bundles jclouds,
 * Jetty, logback and a newer AWS SDK v2, not relocated, which would clash with the SDK and logging
 * on Flink's and the tests' classpath.
 *
 * <p>Why the jclouds {@code filesystem} storage provider: objects are plain files under {@code
 * data/<bucket>/<key>}, easy to inspect after a failed test, and it is the provider Sluice's
 * FileSink exactly-once checks were first run against. S3Proxy's own {@code filesystem-nio2} and
 * {@code transient-nio2} (in memory, lost on close) behaved identically in every probe made here:
 * multipart uploads of 5 MiB parts with a smaller last part, a single small part, abort, copy; the
 * parts of an unfinished upload live in hidden {@code .mpus-<uploadId>-…} entries and are not
 * listed, as on S3. All three map keys to paths, so unlike S3 a key cannot also be a "directory" of
 * other keys ({@code a} and {@code a/b} cannot coexist: 500 InternalError), and a {@code dir/}
 * marker object with content loses it. Keep key layouts free of such collisions.
 *
 * <p>{@link #listKeys} mirrors what a reader of Sluice's output must do: ignore what Flink leaves
 * behind after failures (see {@link #isVisibleOutput}).
 */
public final class S3ProxyServer implements AutoCloseable {

    /** Fixed test credentials; S3Proxy checks AWS V2/V4 signatures against them. */
    private static final String ACCESS_KEY = "sluice-access-key";

    private static final String SECRET_KEY = "sluice-secret-key";
    private static final String REGION = "us-east-1";

    static final String DEFAULT_PROVIDER = "filesystem";

    private final ManagedProcess.Builder launch;
    private final Path dataDirectory;
    private final String endpoint;
    private volatile S3Client client;
    private volatile ManagedProcess process;

    private S3ProxyServer(
            ManagedProcess.Builder launch,
            ManagedProcess process,
            Path dataDirectory,
            String endpoint) {
        this.launch = launch;
        this.process = process;
        this.dataDirectory = dataDirectory;
        this.endpoint = endpoint;
        this.client = newClient();
    }

    /**
     * Starts S3Proxy on a free port; {@code workDir} receives its configuration, its log ({@code
     * logs/s3proxy.log}) and the objects ({@code data/<bucket>/<key>}).
     */
    public static S3ProxyServer start(Path workDir) {
        return start(workDir, DEFAULT_PROVIDER);
    }

    static S3ProxyServer start(Path workDir, String provider) {
        int port = FreePorts.allocate();
        String endpoint = "http://" + FreePorts.LOOPBACK + ":" + port;
        Path dataDirectory = workDir.resolve("data");
        Path configuration = workDir.resolve("s3proxy.properties");
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", endpoint);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", ACCESS_KEY);
        properties.setProperty("s3proxy.credential", SECRET_KEY);
        properties.setProperty("jclouds.provider", provider);
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        properties.setProperty(
                "jclouds.filesystem.basedir", dataDirectory.toAbsolutePath().toString());
        try {
            Files.createDirectories(dataDirectory);
            try (Writer writer = Files.newBufferedWriter(configuration, StandardCharsets.UTF_8)) {
                properties.store(writer, "Written by " + S3ProxyServer.class.getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare S3Proxy's directory " + workDir, e);
        }
        ManagedProcess.Builder launch =
                ManagedProcess.builder("s3proxy")
                        .command(
                                javaExecutable(),
                                // A small, fast-starting JVM: this is a test server on 2 cores.
                                "-Xmx384m",
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                                "-jar",
                                LocalStackProperties.s3ProxyJar().toString(),
                                "--properties",
                                configuration.toAbsolutePath().toString())
                        .environment("LOG_LEVEL", "warn")
                        .workingDirectory(workDir)
                        .logDirectory(workDir.resolve("logs"))
                        .port(port)
                        .startupTimeout(Duration.ofSeconds(60));
        return new S3ProxyServer(launch, launch.start(), dataDirectory, endpoint);
    }

    /**
     * Ends the server with SIGKILL, as a crash would: requests in flight fail, connections are
     * refused until {@link #restart()}. The objects stay on disk.
     */
    public synchronized void kill() {
        process.kill(Duration.ofSeconds(10));
    }

    /**
     * Starts a {@link #kill() killed} server again on the same port, with the same objects, and
     * returns once it accepts connections. {@link #client()} is a new client then, and no client of
     * this class keeps a connection alive (see {@link #openConnection(URI)}).
     */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("S3Proxy still runs: " + this);
        }
        process = launch.start();
        S3Client stale = client;
        client = newClient();
        stale.close();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /**
     * The region clients should sign for; S3Proxy accepts any, {@code us-east-1} is conventional.
     */
    public String region() {
        return REGION;
    }

    /** Where the objects live on disk ({@code <dir>/<bucket>/<key>}). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The S3Proxy process, e.g. for its PID or log. */
    public ManagedProcess process() {
        return process;
    }

    /** A path-style SDK v2 client for this server; closed with the server. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    /**
     * Keys under {@code prefix} that are finished output, in lexicographic order: without Flink's
     * leftovers and directory markers (see {@link #isVisibleOutput}).
     */
    public List<String> listKeys(String bucket, String prefix) {
        return listAllKeys(bucket, prefix).stream()
                .filter(S3ProxyServer::isVisibleOutput)
                .collect(Collectors.toList());
    }

    /** Every key under {@code prefix}, leftovers included, in lexicographic order. */
    public List<String> listAllKeys(String bucket, String prefix) {
        return client
                .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents()
                .stream()
                .map(S3Object::key)
                .collect(Collectors.toList());
    }

    /**
     * Whether a key is finished output rather than something a failed or in-progress writer left:
     *
     * <ul>
     *   <li>a name containing {@code _tmp_}: Flink's S3 recoverable writer persists the unfinished
     *       tail of an in-progress part as {@code <dir>/_<part-name>_tmp_<uuid>} on every
     *       checkpoint, and nothing deletes it after a failure;
     *   <li>a file name starting with {@code .} or {@code _}: in-progress/hidden files ({@code
     *       .part-…inprogress…}) and Hadoop-style markers ({@code _SUCCESS}) — Firehose's readers
     *       (Redshift COPY prefixes, Athena) skip these too;
     *   <li>a key ending in {@code /}: a directory marker, not data.
     * </ul>
     */
    public static boolean isVisibleOutput(String key) {
        if (key.endsWith("/") || key.contains("_tmp_")) {
            return false;
        }
        String fileName = key.substring(key.lastIndexOf('/') + 1);
        return !fileName.startsWith(".") && !fileName.startsWith("_");
    }

    public byte[] getObject(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public void putObject(String bucket, String key, byte[] content) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /**
     * The Flink configuration that points {@code flink-s3-fs-hadoop} (and presto) at this server:
     * {@code s3.endpoint}, {@code s3.path.style.access}, {@code s3.access-key}, {@code
     * s3.secret-key}. Plain strings, so this module needs no Flink dependency.
     */
    public Map<String, String> flinkS3Configuration() {
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("s3.endpoint", endpoint);
        configuration.put("s3.path.style.access", "true");
        configuration.put("s3.access-key", ACCESS_KEY);
        configuration.put("s3.secret-key", SECRET_KEY);
        return configuration;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            process.close();
        }
    }

    private S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create(S3ProxyServer::openConnection))
                .build();
    }

    /**
     * A connection that asks to be closed after its response. The JDK keeps idle HTTP connections
     * in one cache per JVM, keyed by host and port, whichever client opened them: after a {@link
     * #kill()} and {@link #restart()} on the same port, a request could be sent on a connection to
     * the dead process, and a PUT on one fails with "Unexpected end of file from server" instead of
     * being retried (seen whenever the restart took less than the cache's 5-s idle time). A few
     * more TCP handshakes on loopback are the price.
     */
    private static HttpURLConnection openConnection(URI uri) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout((int) Duration.ofSeconds(10).toMillis());
            connection.setReadTimeout((int) Duration.ofSeconds(60).toMillis());
            connection.setRequestProperty("Connection", "close");
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a connection to " + uri, e);
        }
    }

    private static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String toString() {
        return "S3ProxyServer{" + endpoint + ", pid=" + process.pid() + "}";
    }
}
