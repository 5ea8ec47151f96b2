package dev.sluice.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The files in {@code conf/msf/} that {@code docs/deploying-msf.md} tells users to pass to the AWS
 * CLI: the {@code create-application} input holds only request members of the kinesisanalyticsv2
 * CreateApplication API, its property groups are a configuration the job's own loader accepts, and
 * the IAM policies grant what that configuration needs on the very resources it names.
 */
class MsfApplicationFilesTest {

    private static final Path MSF = Path.of("..", "conf", "msf");
    private static final ObjectMapper JSON = new ObjectMapper();

    // Request members as listed in the API reference (CreateApplication, ApplicationConfiguration,
    // FlinkApplicationConfiguration); anything else is rejected by the API.
    private static final Set<String> CREATE_APPLICATION =
            Set.of(
                    "ApplicationName",
                    "ApplicationDescription",
                    "RuntimeEnvironment",
                    "ServiceExecutionRole",
                    "ApplicationConfiguration",
                    "CloudWatchLoggingOptions",
                    "Tags",
                    "ApplicationMode");
    private static final Set<String> APPLICATION_CONFIGURATION =
            Set.of(
                    "ApplicationCodeConfiguration",
                    "ApplicationSnapshotConfiguration",
                    "ApplicationSystemRollbackConfiguration",
                    "EnvironmentProperties",
                    "FlinkApplicationConfiguration",
                    "SqlApplicationConfiguration",
                    "VpcConfigurations",
                    "ZeppelinApplicationConfiguration");
    private static final Set<String> FLINK_APPLICATION_CONFIGURATION =
            Set.of(
                    "CheckpointConfiguration",
                    "MonitoringConfiguration",
                    "ParallelismConfiguration");

    private static JsonNode read(String file) throws IOException {
        return JSON.readTree(MSF.resolve(file).toFile());
    }

    /** The runtime properties, in the shape {@code KinesisAnalyticsRuntime} hands the job. */
    static Map<String, Properties> propertyGroups(JsonNode createApplication) {
        Map<String, Properties> groups = new LinkedHashMap<>();
        for (JsonNode group :
                createApplication.at(
                        "/ApplicationConfiguration/EnvironmentProperties/PropertyGroups")) {
            Properties properties = new Properties();
            group.get("PropertyMap")
                    .fields()
                    .forEachRemaining(
                            e -> properties.setProperty(e.getKey(), e.getValue().asText()));
            groups.put(group.get("PropertyGroupId").asText(), properties);
        }
        return groups;
    }

    @Test
    void theCreateApplicationInputHoldsOnlyApiMembersAndAsksForFlink119WithSnapshots()
            throws Exception {
        JsonNode app = read("create-application.json");

        assertThat(fieldNames(app)).isSubsetOf(CREATE_APPLICATION);
        assertThat(fieldNames(app.get("ApplicationConfiguration")))
                .isSubsetOf(APPLICATION_CONFIGURATION);
        assertThat(fieldNames(app.at("/ApplicationConfiguration/FlinkApplicationConfiguration")))
                .isSubsetOf(FLINK_APPLICATION_CONFIGURATION);
        assertThat(app.get("RuntimeEnvironment").asText()).isEqualTo("FLINK-1_19");
        assertThat(
                        app.at(
                                        "/ApplicationConfiguration/ApplicationSnapshotConfiguration/SnapshotsEnabled")
                                .asBoolean())
                .isTrue();
        assertThat(
                        app.at(
                                        "/ApplicationConfiguration/ApplicationCodeConfiguration/CodeContentType")
                                .asText())
                .isEqualTo("ZIPFILE");
    }

    @Test
    void everyPropertyGroupAndKeyIsValidSluiceConfigurationThatRunsWithoutEnvironmentVariables()
            throws Exception {
        Map<String, Properties> groups = propertyGroups(read("create-application.json"));

        assertThat(groups.keySet())
                .allSatisfy(
                        id ->
                                assertThat(
                                                Set.of(
                                                                        SourceOptions.GROUP,
                                                                        StagingOptions.GROUP,
                                                                        WarehouseOptions.GROUP,
                                                                        TransformOptions.GROUP,
                                                                        EventTimeOptions.GROUP)
                                                                .contains(id)
                                                        || id.startsWith(
                                                                OutputOptions.GROUP_PREFIX))
                                        .as("'%s' is a Sluice property group", id)
                                        .isTrue());
        assertThatCode(() -> SluiceConfig.from(groups)).doesNotThrowAnyException();
        assertThatCode(() -> StartupChecks.passwordEnvironmentVariableIsSet(groups, name -> null))
                .as("MSF cannot set environment variables")
                .doesNotThrowAnyException();
        assertThat(groups.get(WarehouseOptions.GROUP))
                .containsKey(WarehouseOptions.PASSWORD_SECRET_ARN.key());
    }

    @Test
    void msfCheckpointsAtTheBufferingIntervalBecauseItOverridesTheIntervalTheJobWouldSet()
            throws Exception {
        JsonNode app = read("create-application.json");
        SluiceConfig config = SluiceConfig.from(propertyGroups(app));
        JsonNode checkpoints =
                app.at(
                        "/ApplicationConfiguration/FlinkApplicationConfiguration/CheckpointConfiguration");

        // With ConfigurationType DEFAULT, MSF checkpoints every 60 s whatever the code sets.
        assertThat(checkpoints.get("ConfigurationType").asText()).isEqualTo("CUSTOM");
        assertThat(checkpoints.get("CheckpointingEnabled").asBoolean()).isTrue();
        assertThat(checkpoints.get("CheckpointInterval").asLong())
                .isEqualTo(config.checkpointIntervalMs());
        JsonNode parallelism =
                app.at(
                        "/ApplicationConfiguration/FlinkApplicationConfiguration/ParallelismConfiguration");
        assertThat(parallelism.get("ConfigurationType").asText()).isEqualTo("CUSTOM");
        assertThat(parallelism.get("Parallelism").asInt()).isPositive();
    }

    @Test
    void theApplicationRoleGrantsWhatTheConfigurationNeedsOnTheResourcesItNames() throws Exception {
        JsonNode app = read("create-application.json");
        Map<String, Properties> groups = propertyGroups(app);
        Properties source = groups.get(SourceOptions.GROUP);
        Properties staging = groups.get(StagingOptions.GROUP);
        JsonNode policy = read("application-role-policy.json");
        assertWellFormed(policy);

        String stream =
                "arn:aws:kinesis:"
                        + source.getProperty("aws.region")
                        + ":123456789012:stream/"
                        + source.getProperty("stream.name");
        assertThat(actionsOn(policy, stream))
                .contains(
                        "kinesis:DescribeStream",
                        "kinesis:ListShards",
                        "kinesis:GetShardIterator",
                        "kinesis:GetRecords");
        assertThat(actionsOn(policy, stream + "/consumer/*"))
                .contains("kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer");
        String objects =
                "arn:aws:s3:::"
                        + staging.getProperty("bucket")
                        + "/"
                        + staging.getProperty("prefix")
                        + "*";
        assertThat(actionsOn(policy, objects))
                .contains(
                        "s3:GetObject",
                        "s3:PutObject",
                        "s3:DeleteObject",
                        "s3:AbortMultipartUpload",
                        "s3:ListMultipartUploadParts");
        assertThat(actionsOn(policy, "arn:aws:s3:::" + staging.getProperty("bucket")))
                .contains("s3:ListBucket", "s3:ListBucketMultipartUploads");
        assertThat(
                        actionsOn(
                                policy,
                                groups.get(WarehouseOptions.GROUP)
                                        .getProperty(WarehouseOptions.PASSWORD_SECRET_ARN.key())))
                .contains("secretsmanager:GetSecretValue");
        assertThat(actionsOn(policy, "*")).contains("cloudwatch:PutMetricData");
        JsonNode code =
                app.at(
                        "/ApplicationConfiguration/ApplicationCodeConfiguration/CodeContent/S3ContentLocation");
        String jar = code.get("BucketARN").asText() + "/" + code.get("FileKey").asText();
        assertThat(actionsOnCovering(policy, jar)).contains("s3:GetObject");

        JsonNode trust = read("application-trust-policy.json");
        assertWellFormed(trust);
        assertThat(trust.at("/Statement/0/Principal/Service").asText())
                .isEqualTo("kinesisanalytics.amazonaws.com");
    }

    @Test
    void theRedshiftRoleCanReadTheStagedFilesAndManifestsCopyNames() throws Exception {
        Map<String, Properties> groups = propertyGroups(read("create-application.json"));
        Properties staging = groups.get(StagingOptions.GROUP);
        JsonNode policy = read("redshift-copy-role-policy.json");
        assertWellFormed(policy);

        assertThat(
                        actionsOn(
                                policy,
                                "arn:aws:s3:::"
                                        + staging.getProperty("bucket")
                                        + "/"
                                        + staging.getProperty("prefix")
                                        + "*"))
                .contains("s3:GetObject");
        assertThat(actionsOn(policy, "arn:aws:s3:::" + staging.getProperty("bucket")))
                .contains("s3:ListBucket");
        // Manifests sit under the staging prefix, so the same grant covers them.
        assertThat(SluiceConfig.from(groups).loader().ledger().manifestBasePath())
                .startsWith(
                        "s3://"
                                + staging.getProperty("bucket")
                                + "/"
                                + staging.getProperty("prefix"));
        JsonNode trust = read("redshift-copy-trust-policy.json");
        assertWellFormed(trust);
        assertThat(trust.at("/Statement/0/Principal/Service").asText())
                .isEqualTo("redshift.amazonaws.com");
        assertThat(groups.get(WarehouseOptions.GROUP).getProperty("iam.role"))
                .startsWith("arn:aws:iam::")
                .contains(":role/");
    }

    private static void assertWellFormed(JsonNode policy) {
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(policy.path("Statement").isArray()).isTrue();
        for (JsonNode statement : policy.get("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(statement.has("Action")).as("Action in %s", statement).isTrue();
            assertThat(statement.has("Resource") || statement.has("Principal"))
                    .as("Resource or Principal in %s", statement)
                    .isTrue();
        }
    }

    /** Actions of statements that name {@code resource} literally. */
    private static List<String> actionsOn(JsonNode policy, String resource) {
        List<String> actions = new ArrayList<>();
        for (JsonNode statement : policy.get("Statement")) {
            if (strings(statement.get("Resource")).contains(resource)) {
                actions.addAll(strings(statement.get("Action")));
            }
        }
        return actions;
    }

    /**
     * Actions of statements with a resource pattern ending in {@code *} that covers {@code arn}.
     */
    private static List<String> actionsOnCovering(JsonNode policy, String arn) {
        List<String> actions = new ArrayList<>();
        for (JsonNode statement : policy.get("Statement")) {
            for (String resource : strings(statement.get("Resource"))) {
                if (resource.equals(arn)
                        || (resource.endsWith("*")
                                && arn.startsWith(resource.substring(0, resource.length() - 1)))) {
                    actions.addAll(strings(statement.get("Action")));
                }
            }
        }
        return actions;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
