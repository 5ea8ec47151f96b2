package dev.sluice.job.config;

import dev.sluice.job.SluiceJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.flink.fs.s3hadoop.S3FileSystemFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Keeps {@code k8s/} true without a cluster. Every {@code FlinkDeployment} in {@code k8s/*.yaml} is
 * validated against the {@code openAPIV3Schema} of the FlinkDeployment CRD that {@code
 * flink-kubernetes-operator-api:1.10.0} ships, made strict; the other documents are checked as
 * parsed objects: the ConfigMap holds a Sluice configuration, the service account carries the IRSA
 * role, S3A uses the web-identity token, HA and state live on S3, and Prometheus scrapes the port
 * the reporter listens on.
 *
 * <h2>Why the schema is made strict</h2>
 *
 * <p>The CRD's structural schema sets no {@code additionalProperties}, so plain JSON-schema
 * validation accepts any misspelled field, and the API server would prune it silently unless it
 * validates fields strictly. Here every object schema that lists its {@code properties} gets {@code
 * additionalProperties: false} (none of the CRD's objects preserves unknown fields), as {@code
 * kubectl apply --validate=strict} does on the server.
 */
class KubernetesManifestTest {

    private static final Path K8S = Path.of("..", "k8s");
    private static final Path MANIFEST = K8S.resolve("sluice.yaml");
    private static final Path DOCKERFILE = K8S.resolve("Dockerfile");
    private static final String CRD = "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    // --- the CRD schema -------------------------------------------------------------------

    /** The served version's {@code openAPIV3Schema}, as the operator jar ships it. */
    static ObjectNode crdSchema() throws IOException {
        try (InputStream in = KubernetesManifestTest.class.getResourceAsStream(CRD)) {
            assertThat(in).as("%s in flink-kubernetes-operator-api", CRD).isNotNull();
            JsonNode crd = YAML.readTree(in);
            for (JsonNode version : crd.at("/spec/versions")) {
                if (version.path("name").asText().equals("v1beta1")) {
                    return (ObjectNode) version.at("/schema/openAPIV3Schema").deepCopy();
                }
            }
        }
        throw new AssertionError("no v1beta1 in " + CRD);
    }

    /** The schema with unknown fields rejected, and the fields every object has at its root. */
    static ObjectNode strict(ObjectNode schema) {
        forbidUnknownFields(schema);
        ObjectNode properties = (ObjectNode) schema.get("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("type", "object");
        return schema;
    }

    private static void forbidUnknownFields(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if (object.has("properties")
                    && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(KubernetesManifestTest::forbidUnknownFields);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(KubernetesManifestTest::forbidUnknownFields);
        }
    }

    private static Set<ValidationMessage> validate(JsonNode schema, JsonNode document) {
        JsonSchema compiled =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        return compiled.validate(document);
    }

    // --- the manifests --------------------------------------------------------------------

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (values.hasNext()) {
                JsonNode document = (JsonNode) values.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> found =
                documents.stream()
                        .filter(d -> d.path("kind").asText().equals(kind))
                        .collect(Collectors.toList());
        assertThat(found).as("one %s", kind).hasSize(1);
        return found.get(0);
    }

    private static JsonNode mainContainer(JsonNode deployment) {
        for (JsonNode container : deployment.at("/spec/podTemplate/spec/containers")) {
            if (container.path("name").asText().equals("flink-main-container")) {
                return container;
            }
        }
        throw new AssertionError("no flink-main-container in the pod template");
    }

    // --- tests ----------------------------------------------------------------------------

    @Test
    void everyFlinkDeploymentMatchesTheStrictCrdSchemaOfOperator110() throws Exception {
        JsonNode schema = strict(crdSchema());
        int deployments = 0;
        for (Path file : manifests()) {
            for (JsonNode document : documents(file)) {
                if (!document.path("kind").asText().equals("FlinkDeployment")) {
                    continue;
                }
                deployments++;
                assertThat(document.path("apiVersion").asText())
                        .isEqualTo("flink.apache.org/v1beta1");
                assertThat(validate(schema, document)).as("%s", file).isEmpty();
            }
        }
        assertThat(deployments).as("FlinkDeployments in k8s/").isPositive();
    }

    @Test
    void aMisspelledFieldFailsValidationThoughTheCrdAsShippedWouldLetItThrough() throws Exception {
        JsonNode deployment = only(documents(MANIFEST), "FlinkDeployment");
        ObjectNode job = (ObjectNode) deployment.at("/spec/job").deepCopy();
        ObjectNode misspelled = deployment.deepCopy();
        job.set("upgradeMod", job.remove("upgradeMode"));
        ((ObjectNode) misspelled.get("spec")).set("job", job);
        ObjectNode container = (ObjectNode) mainContainer(misspelled);
        container.set("volumeMount", container.remove("volumeMounts"));

        assertThat(validate(crdSchema(), misspelled))
                .as("the CRD's own schema does not reject unknown fields")
                .isEmpty();
        assertThat(validate(strict(crdSchema()), misspelled))
                .extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("upgradeMod"))
                .anySatisfy(m -> assertThat(m).contains("volumeMount"));
    }

    @Test
    void aWrongTypeOrEnumValueFailsValidation() throws Exception {
        ObjectNode deployment = only(documents(MANIFEST), "FlinkDeployment").deepCopy();
        ((ObjectNode) deployment.at("/spec/job")).put("upgradeMode", "snapshot");
        ((ObjectNode) deployment.at("/spec/flinkConfiguration"))
                .put("taskmanager.numberOfTaskSlots", 2);

        assertThat(validate(strict(crdSchema()), deployment))
                .extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("upgradeMode"))
                .anySatisfy(m -> assertThat(m).contains("taskmanager.numberOfTaskSlots"));
    }

    @Test
    void theConfigMapHoldsAValidSluiceConfigurationThatNeedsNoEnvironmentVariable(@TempDir Path dir)
            throws Exception {
        List<JsonNode> documents = documents(MANIFEST);
        JsonNode configMap = only(documents, "ConfigMap");
        JsonNode deployment = only(documents, "FlinkDeployment");
        Path json = dir.resolve("sluice.json");
        Files.writeString(json, configMap.at("/data/sluice.json").asText());

        Map<String, java.util.Properties> groups = ApplicationProperties.fromFile(json);
        SluiceConfig config = SluiceConfig.from(groups);
        assertThat(config.streamName()).isEqualTo("user-events");
        assertThat(config.loader().ledger().manifestBasePath())
                .isEqualTo("s3://my-sluice-staging/redshift-staging/user-events/manifests/");
        assertThatCode(() -> StartupChecks.passwordEnvironmentVariableIsSet(groups, n -> null))
                .doesNotThrowAnyException();

        // The password file lies in the mounted secret.
        String passwordFile = groups.get(WarehouseOptions.GROUP).getProperty("password.file");
        String secretVolume = volumeNamed(deployment, "secret");
        assertThat(passwordFile).startsWith(mountPathOf(deployment, secretVolume) + "/");
    }

    @Test
    void theDeploymentRunsTheJobJarTheImageShipsWithTheMountedConfiguration() throws Exception {
        List<JsonNode> documents = documents(MANIFEST);
        JsonNode deployment = only(documents, "FlinkDeployment");
        JsonNode configMap = only(documents, "ConfigMap");
        String dockerfile = Files.readString(DOCKERFILE);

        JsonNode job = deployment.at("/spec/job");
        assertThat(job.path("entryClass").asText()).isEqualTo(SluiceJob.class.getName());
        String jarUri = job.path("jarURI").asText();
        assertThat(jarUri).startsWith("local://");
        assertThat(dockerfile)
                .containsPattern(
                        "COPY job/target/\\S+\\.jar "
                                + Pattern.quote(jarUri.substring("local://".length())));

        assertThat(job.path("args").get(0).asText()).isEqualTo("--config");
        Path config = Path.of(job.path("args").get(1).asText());
        String configVolume = volumeNamed(deployment, "configMap");
        assertThat(deployment.at("/spec/podTemplate/spec/volumes").findValuesAsText("name"))
                .contains(configVolume);
        assertThat(config.getParent().toString()).isEqualTo(mountPathOf(deployment, configVolume));
        assertThat(configMap.path("data").has(config.getFileName().toString())).isTrue();
        assertThat(configMap.at("/metadata/name").asText())
                .isEqualTo(volume(deployment, configVolume).at("/configMap/name").asText());
    }

    @Test
    void s3aUsesTheIrsaWebIdentityTokenOfAnAnnotatedServiceAccount() throws Exception {
        List<JsonNode> documents = documents(MANIFEST);
        JsonNode deployment = only(documents, "FlinkDeployment");
        JsonNode serviceAccount = only(documents, "ServiceAccount");
        JsonNode binding = only(documents, "RoleBinding");

        assertThat(deployment.at("/spec/serviceAccount").asText())
                .isEqualTo(serviceAccount.at("/metadata/name").asText());
        assertThat(
                        serviceAccount
                                .at("/metadata/annotations")
                                .path("eks.amazonaws.com/role-arn")
                                .asText())
                .matches("arn:aws:iam::\\d{12}:role/.+");
        assertThat(binding.at("/subjects/0/name").asText())
                .isEqualTo(serviceAccount.at("/metadata/name").asText());
        assertThat(binding.at("/roleRef/name").asText())
                .isEqualTo(only(documents, "Role").at("/metadata/name").asText());

        // The provider class must exist in the S3 plugin Flink 1.19.3 loads (not relocated there).
        String provider =
                deployment
                        .at("/spec/flinkConfiguration")
                        .path("fs.s3a.aws.credentials.provider")
                        .asText();
        assertThat(provider).isEqualTo("com.amazonaws.auth.WebIdentityTokenCredentialsProvider");
        Path plugin =
                Path.of(
                        S3FileSystemFactory.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        assertThat(plugin.getFileName().toString()).isEqualTo("flink-s3-fs-hadoop-1.19.3.jar");
        try (JarFile jar = new JarFile(plugin.toFile())) {
            assertThat(jar.getEntry(provider.replace('.', '/') + ".class"))
                    .as("%s in %s", provider, plugin.getFileName())
                    .isNotNull();
        }
        assertThat(mainContainer(deployment).path("env").findValuesAsText("value"))
                .contains(plugin.getFileName().toString());
    }

    @Test
    void haCheckpointsAndSavepointsLiveOnS3AndUpgradesGoThroughASavepoint() throws Exception {
        JsonNode deployment = only(documents(MANIFEST), "FlinkDeployment");
        JsonNode flink = deployment.at("/spec/flinkConfiguration");

        assertThat(flink.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(flink.path("high-availability.storageDir").asText()).startsWith("s3://");
        assertThat(flink.path("state.checkpoints.dir").asText()).startsWith("s3://");
        assertThat(flink.path("state.savepoints.dir").asText()).startsWith("s3://");
        assertThat(flink.path("execution.checkpointing.mode").asText()).isEqualTo("EXACTLY_ONCE");
        assertThat(deployment.at("/spec/job/upgradeMode").asText()).isEqualTo("savepoint");
    }

    @Test
    void prometheusScrapesThePortTheReporterListensOnOnEveryPodOfTheDeployment() throws Exception {
        List<JsonNode> documents = documents(MANIFEST);
        JsonNode deployment = only(documents, "FlinkDeployment");
        JsonNode podMonitor = only(documents, "PodMonitor");
        JsonNode flink = deployment.at("/spec/flinkConfiguration");

        assertThat(flink.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        int port = Integer.parseInt(flink.path("metrics.reporter.prom.port").asText());
        String portName = podMonitor.at("/spec/podMetricsEndpoints/0/port").asText();
        JsonNode containerPort = null;
        for (JsonNode p : mainContainer(deployment).path("ports")) {
            if (p.path("name").asText().equals(portName)) {
                containerPort = p;
            }
        }
        assertThat(containerPort).as("container port named %s", portName).isNotNull();
        assertThat(containerPort.path("containerPort").asInt()).isEqualTo(port);
        // Flink labels the JobManager and TaskManager pods app=<cluster id>, the deployment's name.
        assertThat(podMonitor.at("/spec/selector/matchLabels/app").asText())
                .isEqualTo(deployment.at("/metadata/name").asText());
        assertThat(podMonitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(Files.readString(DOCKERFILE))
                .contains(
                        "/opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-1.19.3.jar");
    }

    // --- helpers over the parsed pod template ---------------------------------------------

    /** The name of the one pod-template volume of the given source kind (configMap, secret). */
    private static String volumeNamed(JsonNode deployment, String source) {
        List<String> names = new ArrayList<>();
        for (JsonNode volume : deployment.at("/spec/podTemplate/spec/volumes")) {
            if (volume.has(source)) {
                names.add(volume.path("name").asText());
            }
        }
        assertThat(names).as("%s volumes", source).hasSize(1);
        return names.get(0);
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode volume : deployment.at("/spec/podTemplate/spec/volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static String mountPathOf(JsonNode deployment, String volume) {
        for (JsonNode mount : mainContainer(deployment).path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("volume " + volume + " is not mounted");
    }
}
