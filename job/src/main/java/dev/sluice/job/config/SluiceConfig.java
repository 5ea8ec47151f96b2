package dev.sluice.job.config;

import dev.sluice.sinks.loader.LoaderExecutionOptions;
import dev.sluice.sinks.s3.BackupMode;
import dev.sluice.sinks.s3.BufferingHints;
import dev.sluice.sinks.s3.format.ColumnTypesSource;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;
import dev.sluice.sinks.warehouse.TableColumnTypes;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.configuration.Configuration;

import javax.annotation.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The whole job's configuration, read from MSF-shaped property groups and validated before anything
 * starts: every problem is reported with its group and key while the job is still being built, not
 * as a task failure hours later.
 */
public final class SluiceConfig {

    /** The Kinesis connector's idle-shard key, set from {@code EventTime idle.shard.timeout.ms}. */
    static final String IDLE_INTERVAL_KEY = "flink.shard.idle.interval";

    private final SourceSettings source;
    private final Properties consumerProperties;
    private final OutputSettings staging;
    private final List<OutputSettings> furtherOutputs;
    private final List<FirehoseOutputSettings> firehoseOutputs;
    private final BackupMode backupMode;
    private final Configuration s3FileSystem;
    private final long checkpointIntervalMs;
    private final WarehouseLoaderConfig loader;
    private final LoaderExecutionOptions loaderExecution;
    private final TransformSettings transform;
    private final EventTimeSettings eventTime;
    @Nullable private final ColumnTypesSource columnTypes;

    private SluiceConfig(
            SourceSettings source,
            Properties consumerProperties,
            OutputSettings staging,
            List<OutputSettings> furtherOutputs,
            List<FirehoseOutputSettings> firehoseOutputs,
            BackupMode backupMode,
            Configuration s3FileSystem,
            long checkpointIntervalMs,
            WarehouseLoaderConfig loader,
            LoaderExecutionOptions loaderExecution,
            TransformSettings transform,
            EventTimeSettings eventTime,
            @Nullable ColumnTypesSource columnTypes) {
        this.source = source;
        this.consumerProperties = consumerProperties;
        this.staging = staging;
        this.furtherOutputs = List.copyOf(furtherOutputs);
        this.firehoseOutputs = List.copyOf(firehoseOutputs);
        this.backupMode = backupMode;
        this.s3FileSystem = s3FileSystem;
        this.checkpointIntervalMs = checkpointIntervalMs;
        this.loader = loader;
        this.loaderExecution = loaderExecution;
        this.transform = transform;
        this.eventTime = eventTime;
        this.columnTypes = columnTypes;
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

        Properties consumerProperties = new Properties();
        SourceOptions.CONNECTOR_PREFIXES.forEach(
                p -> consumerProperties.putAll(source.withPrefix(p)));
        SourceSettings sourceSettings = SourceSettings.read(source, consumerProperties);
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

        List<String> warehouseColumns =
                warehouse.contains(WarehouseOptions.COLUMNS)
                        ? OutputConfigReader.columnList(warehouse.get(WarehouseOptions.COLUMNS))
                        : List.of();
        OutputSettings stagingOutput = OutputConfigReader.staging(staging, warehouseColumns);
        long checkpointIntervalMs =
                OutputConfigReader.validated(
                        staging,
                        () ->
                                CheckpointInterval.millisOf(
                                        staging.get(StagingOptions.BUFFERING_INTERVAL_S)));
        List<OutputSettings> furtherOutputs = OutputConfigReader.further(groups, stagingOutput);
        List<FirehoseOutputSettings> firehoseOutputs = OutputConfigReader.firehose(groups);
        Configuration s3FileSystem = new Configuration();
        staging.withPrefix(StagingOptions.FILE_SYSTEM_PREFIX)
                .forEach((k, v) -> s3FileSystem.setString((String) k, (String) v));

        WarehouseLoaderConfig loader =
                WarehouseConfigReader.read(
                        warehouse,
                        warehouseColumns,
                        stagingOutput.rootUri() + "manifests/",
                        stagingOutput.format());

        return new SluiceConfig(
                sourceSettings,
                consumerProperties,
                stagingOutput,
                furtherOutputs,
                firehoseOutputs,
                staging.get(StagingOptions.BACKUP_MODE),
                s3FileSystem,
                checkpointIntervalMs,
                loader,
                WarehouseConfigReader.execution(warehouse),
                transform,
                eventTime,
                warehouse.get(WarehouseOptions.COLUMN_TYPES_CHECK)
                        ? new TableColumnTypes(loader.connectionProvider(), loader.target())
                        : null);
    }

    public String streamName() {
        return source.streamName();
    }

    /** Which connector source reads the stream. */
    public SourceSettings source() {
        return source;
    }

    /** The Kinesis connector's own keys ({@code aws.*}, {@code flink.*}), a fresh copy. */
    public Properties consumerProperties() {
        Properties copy = new Properties();
        copy.putAll(consumerProperties);
        return copy;
    }

    /** The output the warehouse loads (group {@code S3}). */
    public OutputSettings staging() {
        return staging;
    }

    /** The {@code Output.<name>} outputs, sorted by name; empty unless configured. */
    public List<OutputSettings> furtherOutputs() {
        return furtherOutputs;
    }

    /**
     * The {@code Output.<name>} outputs of type FIREHOSE, sorted by name; empty unless configured.
     */
    public List<FirehoseOutputSettings> firehoseOutputs() {
        return firehoseOutputs;
    }

    /** The staging bucket. */
    public String bucket() {
        return staging.bucket();
    }

    /** {@code s3://bucket} of the staging output. */
    public String bucketUri() {
        return staging.bucketUri();
    }

    /** Where staged files go, with the default hourly layout added if it had no expression. */
    public PrefixTemplate prefix() {
        return staging.prefix();
    }

    public BufferingHints buffering() {
        return staging.buffering();
    }

    /** Which source records are also copied to {@code <root>backup/}. */
    public BackupMode backupMode() {
        return backupMode;
    }

    /** Flink S3 file system settings ({@code s3.*}), used by local runs. */
    public Configuration s3FileSystem() {
        return new Configuration(s3FileSystem);
    }

    /** What the loader COPYs where, its ledger and its connections. */
    public WarehouseLoaderConfig loader() {
        return loader;
    }

    /** How the loader runs: retries and merging a backlog. */
    public LoaderExecutionOptions loaderExecution() {
        return loaderExecution;
    }

    /** The buffering interval as the job's checkpoint interval; see {@link CheckpointInterval}. */
    public long checkpointIntervalMs() {
        return checkpointIntervalMs;
    }

    /** The transform chain and its exception policy. */
    public TransformSettings transform() {
        return transform;
    }

    /**
     * Where the staging output reads the table's column types to make values fit before they are
     * staged; null when {@code column.types.check} is off.
     */
    @Nullable
    public ColumnTypesSource columnTypes() {
        return columnTypes;
    }

    /** Event-time extraction, watermarks and the late-record policy. */
    public EventTimeSettings eventTime() {
        return eventTime;
    }
}
