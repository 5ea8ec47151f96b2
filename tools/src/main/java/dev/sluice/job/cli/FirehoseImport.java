package dev.sluice.job.cli;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.sinks.s3.BackupMode;
import dev.sluice.sinks.s3.BufferingHints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Firehose {@code RedshiftDestinationConfiguration} (as given to {@code aws firehose
 * create-delivery-stream}, alone, wrapped in {@code {"RedshiftDestinationConfiguration": …}}, or
 * inside a whole CreateDeliveryStream request) into Sluice's property groups, and says what has no
 * equivalent.
 *
 * <p>The password is never carried over: the output names an environment variable instead, so the
 * generated file can be committed or pasted safely.
 */
public final class FirehoseImport {

    /** The generated groups and what the user must know about them. */
    public record Result(Map<String, Properties> groups, List<String> notes) {}

    /** The environment variable the generated configuration reads the password from. */
    public static final String PASSWORD_ENV = "SLUICE_WAREHOUSE_PASSWORD";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BUCKET_ARN = Pattern.compile("arn:aws[a-z-]*:s3:::([^/]+)");
    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):\\d+:stream/(.+)");
    private static final Pattern REDSHIFT_REGION =
            Pattern.compile("\\.([a-z]{2}(?:-[a-z]+)+-\\d)\\.redshift(?:-serverless)?\\.amazonaws");

    private static final Set<String> HANDLED =
            Set.of(
                    "RoleARN",
                    "ClusterJDBCURL",
                    "CopyCommand",
                    "Username",
                    "Password",
                    "RetryOptions",
                    "S3Configuration",
                    "ProcessingConfiguration",
                    "S3BackupMode",
                    "S3BackupConfiguration",
                    "CloudWatchLoggingOptions",
                    "SecretsManagerConfiguration");

    private FirehoseImport() {}

    public static Result fromJson(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Expected a JSON object");
        }
        JsonNode source = root.path("KinesisStreamSourceConfiguration");
        JsonNode redshift =
                root.has("RedshiftDestinationConfiguration")
                        ? root.get("RedshiftDestinationConfiguration")
                        : root;
        if (!redshift.has("ClusterJDBCURL") && !redshift.has("CopyCommand")) {
            throw new IllegalArgumentException(
                    "Not a Firehose RedshiftDestinationConfiguration: no ClusterJDBCURL or"
                            + " CopyCommand");
        }
        return translate(redshift, source);
    }

    private static Result translate(JsonNode redshift, JsonNode source) {
        List<String> notes = new ArrayList<>();
        Map<String, Properties> groups = new LinkedHashMap<>();

        String jdbcUrl = text(redshift, "ClusterJDBCURL");
        Properties kinesis = new Properties();
        Matcher stream = STREAM_ARN.matcher(text(source, "KinesisStreamARN"));
        if (stream.matches()) {
            kinesis.setProperty(SourceOptions.STREAM_NAME.key(), stream.group(2));
            kinesis.setProperty("aws.region", stream.group(1));
        } else {
            kinesis.setProperty(SourceOptions.STREAM_NAME.key(), "CHANGE-ME");
            notes.add(
                    "KinesisSource stream.name: the input names no Kinesis source stream"
                            + " (DirectPut has no equivalent: Sluice reads a Kinesis data stream);"
                            + " set it.");
            Matcher region = REDSHIFT_REGION.matcher(jdbcUrl);
            if (region.find()) {
                kinesis.setProperty("aws.region", region.group(1));
                notes.add(
                        "KinesisSource aws.region: taken from the cluster's JDBC URL; check it"
                                + " is the stream's region.");
            }
        }
        if (source.has("RoleARN")) {
            notes.add(
                    "KinesisStreamSourceConfiguration.RoleARN: not carried over; the job reads"
                            + " with its own role (MSF service role or the pod's IAM role), or set"
                            + " aws.credentials.provider=ASSUME_ROLE with aws.credentials.role.arn.");
        }
        kinesis.setProperty("flink.stream.initpos", "LATEST");
        notes.add(
                "KinesisSource flink.stream.initpos=LATEST: like a new Firehose stream; use"
                        + " TRIM_HORIZON to start with what the stream still holds.");
        groups.put(SourceOptions.GROUP, kinesis);

        Properties staging = new Properties();
        JsonNode s3 = redshift.path("S3Configuration");
        Matcher bucket = BUCKET_ARN.matcher(text(s3, "BucketARN"));
        staging.setProperty(
                StagingOptions.BUCKET.key(), bucket.matches() ? bucket.group(1) : "CHANGE-ME");
        if (!bucket.matches()) {
            notes.add("S3 bucket: S3Configuration.BucketARN is missing or not an S3 ARN; set it.");
        }
        String prefix = text(s3, "Prefix");
        int expression = firstUnsupportedExpression(prefix);
        if (expression >= 0) {
            notes.add(
                    "S3 prefix: only !{timestamp:…} expressions have an equivalent; kept the part"
                            + " before the first other one.");
            prefix = prefix.substring(0, expression);
        }
        if (!prefix.isEmpty()) {
            staging.setProperty(StagingOptions.PREFIX.key(), prefix);
        }
        if (s3.has("ErrorOutputPrefix")) {
            notes.add(
                    "S3Configuration.ErrorOutputPrefix: no equivalent; Sluice writes errors under"
                            + " <prefix>errors/ (load-failed manifests under"
                            + " <prefix>errors/load-failed/).");
        }
        JsonNode hints = s3.path("BufferingHints");
        if (hints.has("IntervalInSeconds")) {
            long interval =
                    Math.max(
                            CheckpointInterval.MIN_SECONDS,
                            Math.min(
                                    CheckpointInterval.MAX_SECONDS,
                                    hints.get("IntervalInSeconds").asLong()));
            staging.setProperty(StagingOptions.BUFFERING_INTERVAL_S.key(), Long.toString(interval));
        }
        if (hints.has("SizeInMBs")) {
            long size =
                    Math.max(
                            BufferingHints.MIN_SIZE_MB,
                            Math.min(BufferingHints.MAX_SIZE_MB, hints.get("SizeInMBs").asLong()));
            staging.setProperty(StagingOptions.BUFFERING_SIZE_MB.key(), Long.toString(size));
            notes.add(
                    "BufferingHints: the interval becomes the checkpoint interval (files commit and"
                            + " load once per checkpoint); the size caps each staged file but does"
                            + " not make delivery earlier.");
        }
        String compression = text(s3, "CompressionFormat");
        if (!compression.isEmpty() && !compression.equalsIgnoreCase("GZIP")) {
            notes.add(
                    "S3Configuration.CompressionFormat "
                            + compression
                            + ": Sluice stages GZIP JSON lines, so COPY gets GZIP.");
        }
        for (String ignored : List.of("EncryptionConfiguration", "CloudWatchLoggingOptions")) {
            if (s3.has(ignored)) {
                notes.add(
                        "S3Configuration."
                                + ignored
                                + ": no equivalent; "
                                + (ignored.startsWith("Encryption")
                                        ? "use the bucket's default encryption."
                                        : "the job logs through Flink (CloudWatch on MSF)."));
            }
        }
        if (s3.has("RoleARN")) {
            notes.add(
                    "S3Configuration.RoleARN: not carried over; the job writes S3 with its own"
                            + " role.");
        }
        groups.put(StagingOptions.GROUP, staging);

        Properties warehouse = new Properties();
        warehouse.setProperty(WarehouseOptions.DIALECT.key(), "redshift");
        warehouse.setProperty(WarehouseOptions.JDBC_URL.key(), jdbcUrl);
        JsonNode copy = redshift.path("CopyCommand");
        put(warehouse, WarehouseOptions.USERNAME.key(), text(redshift, "Username"));
        put(warehouse, WarehouseOptions.TABLE.key(), text(copy, "DataTableName"));
        put(warehouse, WarehouseOptions.COLUMNS.key(), text(copy, "DataTableColumns"));
        String options = text(copy, "CopyOptions").trim();
        if (!Pattern.compile("(?i)(^|\\s)GZIP(\\s|$)").matcher(options).find()) {
            options = options.isEmpty() ? "GZIP" : options + " GZIP";
        }
        if (!Pattern.compile("(?i)(^|\\s)(JSON|CSV|FORMAT|PARQUET)(\\s|$)")
                .matcher(options)
                .find()) {
            options = "JSON 'auto' " + options;
            notes.add(
                    "CopyCommand.CopyOptions names no input format; Sluice stages JSON lines, so"
                            + " JSON 'auto' was added.");
        }
        warehouse.setProperty(WarehouseOptions.COPY_OPTIONS.key(), options);
        put(warehouse, WarehouseOptions.IAM_ROLE.key(), text(redshift, "RoleARN"));
        if (!copy.has("DataTableColumns")) {
            notes.add("Warehouse columns: CopyCommand.DataTableColumns is missing; set it.");
        }
        JsonNode secrets = redshift.path("SecretsManagerConfiguration");
        String secretArn = text(secrets, "SecretARN");
        if (secrets.path("Enabled").asBoolean(false) && !secretArn.isEmpty()) {
            warehouse.setProperty(WarehouseOptions.PASSWORD_SECRET_ARN.key(), secretArn);
            if (!warehouse.containsKey(WarehouseOptions.USERNAME.key())) {
                warehouse.setProperty(WarehouseOptions.USERNAME.key(), "CHANGE-ME");
                notes.add(
                        "Warehouse username: Sluice reads only the password from the secret;"
                                + " set the user name.");
            }
            if (secrets.has("RoleARN")) {
                notes.add(
                        "SecretsManagerConfiguration.RoleARN: not carried over; the task managers'"
                                + " own role must be allowed secretsmanager:GetSecretValue.");
            }
        } else {
            warehouse.setProperty(WarehouseOptions.PASSWORD_ENV.key(), PASSWORD_ENV);
        }
        if (redshift.has("Password")) {
            notes.add(
                    "Password: not copied into the output; "
                            + (warehouse.containsKey(WarehouseOptions.PASSWORD_SECRET_ARN.key())
                                    ? "the secret is used instead."
                                    : "export "
                                            + PASSWORD_ENV
                                            + " where the loader runs, or use password.file or"
                                            + " password.secret.arn."));
        }
        if (redshift.has("RetryOptions")) {
            warehouse.setProperty(
                    WarehouseOptions.RETRY_DURATION_S.key(),
                    Long.toString(
                            redshift.get("RetryOptions").path("DurationInSeconds").asLong(3600)));
        }
        groups.put(WarehouseOptions.GROUP, warehouse);

        if (redshift.path("ProcessingConfiguration").path("Enabled").asBoolean(false)) {
            notes.add(
                    "ProcessingConfiguration: Lambda processors have no equivalent; port the"
                            + " function to a Flink ProcessFunction transform.");
        }
        if ("Enabled".equalsIgnoreCase(text(redshift, "S3BackupMode"))) {
            staging.setProperty(StagingOptions.BACKUP_MODE.key(), BackupMode.ALL.name());
            notes.add(
                    "S3BackupMode=Enabled → S3 backup.mode=ALL: every source record is backed up"
                            + " under <prefix>backup/ in the staging bucket.");
        }
        if (redshift.has("S3BackupConfiguration")) {
            notes.add(
                    "S3BackupConfiguration: Sluice backs up into the staging bucket under"
                            + " <prefix>backup/, not into a separate bucket or prefix.");
        }
        if (redshift.has("CloudWatchLoggingOptions")) {
            notes.add(
                    "CloudWatchLoggingOptions: no equivalent; load errors go to the job log and to"
                            + " <prefix>errors/load-failed/.");
        }
        for (Iterator<String> names = redshift.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!HANDLED.contains(name)) {
                notes.add(name + ": not understood; ignored.");
            }
        }
        return new Result(groups, notes);
    }

    /** Where the first {@code !{…}} other than {@code !{timestamp:…}} starts, or -1. */
    static int firstUnsupportedExpression(String prefix) {
        for (int at = prefix.indexOf("!{"); at >= 0; at = prefix.indexOf("!{", at + 2)) {
            if (!prefix.startsWith("!{timestamp:", at)) {
                return at;
            }
        }
        return -1;
    }

    private static void put(Properties properties, String key, String value) {
        if (!value.isEmpty()) {
            properties.setProperty(key, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asText().trim();
    }
}
