package dev.sluice.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness itself, without a job: the cluster starts as two JVMs that read the {@code
 * config.yaml} written for them and the S3 plugin, accept jar uploads over REST (which needs {@code
 * flink-runtime-web} on the class path), and a TaskManager killed with SIGKILL is replaced by a new
 * one whose slots register. {@code StandaloneClusterITCase} in the job module runs Sluice on it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkSessionClusterTest {

    @RegisterExtension
    static final FlinkSessionClusterExtension FLINK =
            new FlinkSessionClusterExtension(
                    cluster -> cluster.slots(2).set("s3.endpoint", "http://127.0.0.1:9"));

    @Test
    @Order(1)
    void startsAJobManagerAndATaskManagerThatReadTheirConfigYamlAndTheS3Plugin() throws Exception {
        JsonNode overview = FLINK.rest().overview();
        assertThat(overview.path("flink-version").asText()).isEqualTo("1.19.3");
        assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
        assertThat(overview.path("slots-total").asInt()).isEqualTo(2);

        Map<String, String> config = new HashMap<>();
        FLINK.rest()
                .get("/jobmanager/config")
                .forEach(e -> config.put(e.path("key").asText(), e.path("value").asText()));
        assertThat(config)
                .containsEntry("s3.endpoint", "http://127.0.0.1:9")
                .containsEntry("rest.bind-address", "127.0.0.1")
                .containsEntry("taskmanager.numberOfTaskSlots", "2");

        String jobManagerLog = Files.readString(FLINK.cluster().jobManager().logFile());
        assertThat(jobManagerLog)
                .contains("Using standard YAML parser to load flink configuration file")
                .contains("config.yaml")
                .contains("s3-fs-hadoop");
    }

    @Test
    @Order(2)
    void acceptsJarUploadsOverRest(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("empty-job.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out, new Manifest())) {
            // A manifest is all the upload needs.
        }
        String jarId = FLINK.rest().uploadJar(jar);
        assertThat(jarId).endsWith("_empty-job.jar");
        assertThat(FLINK.rest().get("/jars").path("files").findValuesAsText("id")).contains(jarId);
    }

    @Test
    @Order(3)
    void aTaskManagerKilledWithSigkillIsReplacedByANewOneWhoseSlotsRegister() {
        FlinkSessionCluster cluster = FLINK.cluster();
        ManagedProcess killed = cluster.taskManager();
        cluster.killTaskManager();
        assertThat(killed.isAlive()).isFalse();

        cluster.startTaskManager();
        assertThat(cluster.taskManager().pid()).isNotEqualTo(killed.pid());
        FlinkRestClient.await(
                "the killed TaskManager to be dropped and only the new one to count",
                () -> cluster.rest().overview(),
                overview ->
                        overview.path("taskmanagers").asInt() == 1
                                && overview.path("slots-total").asInt() == 2,
                Duration.ofSeconds(30));
    }
}
