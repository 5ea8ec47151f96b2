package dev.sluice.job.config;

import dev.sluice.sinks.s3.BackupMode;
import dev.sluice.sinks.s3.BufferingHints;
import dev.sluice.sinks.s3.PrefixTemplate;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.configuration.Configuration;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The whole job's configuration, read from MSF-shaped property groups and validated before
 * anything starts: every problem is reported with its group and key while the job is still being
 * built, not as a task failure hours later.
 */
public final class SluiceConfig {

    /** The Kinesis connector's idle-shard key, set from {@code EventTime idle.shard.timeout.ms}. */
    static final String IDLE_INTERVAL_KEY = "flink.shard.idle.interval";

    private final String streamName;
    private final Properties consumerProperties;
    private final String bucket;
    private final PrefixTemplate prefix;
    private final BufferingHints buffering;
    private final BackupMode backupMode;
    private final Configuration s3FileSystem;
    private final WarehouseLoaderConfig loader;
    private final TransformSettings transform;
    private final EventTimeSettings eventTime;

    private SluiceConfig(
            String streamName,
            Properties consumerProperties,
            String bucket,
            PrefixTemplate prefix,
            BufferingHints buffering,
            BackupMode backupMode,
            Configuration s3FileSystem,
            WarehouseLoaderConfig loader,
            TransformSettings transform,
            EventTimeSettings eventTime) {
        this.streamName = streamName;
        this.consumerProperties = consumerProperties;
        this.bucket = bucket;
        this.prefix = prefix;
        this.buffering = buffering;
        this.backupMode = backupMode;
        this.s3FileSystem = s3FileSystem;
        this.loader = loader;
        this.transform = transform;
        this.eventTime = eventTime;
    }

    /** Reads and validates every group; throws {@link InvalidConfigurationException}. */
    public static SluiceConfig from(Map<String, Properties> groups) {
        PropertyGroup source =
                PropertyGroup.of(
                        SourceOptions.GROUP,
                        groups,
                        SourceOptions.ALL,
                        SourceOptions.CONNECTOR_PREFIXES);
        PropertyGroup staging =
                PropertyGroup.of(
                        StagingOptions.GROUP,
                        groups,
                        StagingOptions.ALL,
                        List.of(StagingOptions.FILE_SYSTEM_PREFIX));
        PropertyGroup warehouse =
                PropertyGroup.of(WarehouseOptions.GROUP, groups, WarehouseOptions.ALL, List.of());
        PropertyGroup transformGroup =
                PropertyGroup.of(TransformOptions.GROUP, groups, TransformOptions.ALL, List.of());
        PropertyGroup eventTimeGroup =
                PropertyGroup.of(EventTimeOptions.GROUP, groups, EventTimeOptions.ALL, List.of());

        String streamName = source.require(SourceOptions.STREAM_NAME);
        Properties consumerProperties = new Properties();
        SourceOptions.CONNECTOR_PREFIXES.forEach(
                p -> consumerProperties.putAll(source.withPrefix(p)));
        EventTimeSettings eventTime = TransformConfigReader.readEventTime(eventTimeGroup);
        if (consumerProperties.containsKey(IDLE_INTERVAL_KEY)) {
            throw new InvalidConfigurationException(
                    "Property group 'KinesisSource' sets '"
                            + IDLE_INTERVAL_KEY
                            + "'; set 'EventTime' key 'idle.shard.timeout.ms' instead");
        }
        if (eventTime.idleShardTimeoutMs() > 0) {
            consumerProperties.setProperty(
                    IDLE_INTERVAL_KEY, Long.toString(eventTime.idleShardTimeoutMs()));
        }
        TransformSettings transform =
                TransformConfigReader.readTransform(
                        transformGroup, Thread.currentThread().getContextClassLoader());

        String bucket = staging.require(StagingOptions.BUCKET);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new InvalidConfigurationException(
                    "Property group 'S3' key 'bucket' is not a valid S3 bucket name: " + bucket);
        }
        PrefixTemplate prefix =
                validated(staging, () -> PrefixTemplate.parse(staging.get(StagingOptions.PREFIX)));
        BufferingHints buffering =
                validated(
                        staging,
                        () ->
                                BufferingHints.of(
                                        staging.get(StagingOptions.BUFFERING_SIZE_MB),
                                        staging.get(StagingOptions.BUFFERING_INTERVAL_S)));
        Configuration s3FileSystem = new Configuration();
        staging.withPrefix(StagingOptions.FILE_SYSTEM_PREFIX)
                .forEach((k, v) -> s3FileSystem.setString((String) k, (String) v));

        String root = "s3://" + bucket + "/" + prefix.root();
        WarehouseLoaderConfig loader = WarehouseConfigReader.read(warehouse, root + "manifests/");

        return new SluiceConfig(
                streamName,
                consumerProperties,
                bucket,
                prefix,
                buffering,
                staging.get(StagingOptions.BACKUP_MODE),
                s3FileSystem,
                loader,
                transform,
                eventTime);
    }

    private static <T> T validated(PropertyGroup group, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    "Property group '" + group.groupId() + "': " + e.getMessage(), e);
        }
    }

    public String streamName() {
        return streamName;
    }

    /** The Kinesis connector's own keys ({@code aws.*}, {@code flink.*}), a fresh copy. */
    public Properties consumerProperties() {
        Properties copy = new Properties();
        copy.putAll(consumerProperties);
        return copy;
    }

    public String bucket() {
        return bucket;
    }

    /** {@code s3://bucket}. */
    public String bucketUri() {
        return "s3://" + bucket;
    }

    /** Where data files go, with the default hourly layout added if it had no expression. */
    public PrefixTemplate prefix() {
        return prefix;
    }

    public BufferingHints buffering() {
        return buffering;
    }

    /** Which source records are also copied to {@code <root>backup/}. */
    public BackupMode backupMode() {
        return backupMode;
    }

    /** Flink S3 file system settings ({@code s3.*}), used by local runs. */
    public Configuration s3FileSystem() {
        return new Configuration(s3FileSystem);
    }

    public WarehouseLoaderConfig loader() {
        return loader;
    }

    /** The buffering interval as a checkpoint interval. */
    public long checkpointIntervalMs() {
        return buffering.checkpointIntervalMs();
    }

    /** The transform chain and its exception policy. */
    public TransformSettings transform() {
        return transform;
    }

    /** Event-time extraction, watermarks and the late-record policy. */
    public EventTimeSettings eventTime() {
        return eventTime;
    }
}
