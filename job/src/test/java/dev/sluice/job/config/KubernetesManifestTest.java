package dev.sluice.job.config;

import dev.sluice.job.SluiceJob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code k8s/} true without a cluster: the configuration in the ConfigMap is one Sluice
 * accepts, and the deployment starts the class and jar the build and the image produce.
 */
class KubernetesManifestTest {

    private static final Path MANIFEST = Path.of("..", "k8s", "sluice.yaml");
    private static final Path DOCKERFILE = Path.of("..", "k8s", "Dockerfile");

    @Test
    void theConfigMapHoldsAValidSluiceConfiguration(@TempDir Path dir) throws Exception {
        String yaml = Files.readString(MANIFEST);
        Matcher block = Pattern.compile("(?s)sluice\\.json: \\|\\n(.*?)\\n---").matcher(yaml);
        assertThat(block.find()).as("the ConfigMap's sluice.json block").isTrue();
        Path json = dir.resolve("sluice.json");
        Files.writeString(json, block.group(1).stripIndent());

        SluiceConfig config = SluiceConfig.from(ApplicationProperties.fromFile(json));

        assertThat(config.streamName()).isEqualTo("user-events");
        assertThat(config.loader().ledger().manifestBasePath())
                .isEqualTo("s3://my-sluice-staging/redshift-staging/user-events/manifests/");
    }

    @Test
    void theDeploymentRunsTheJobJarTheImageShips() throws Exception {
        String yaml = Files.readString(MANIFEST);
        String dockerfile = Files.readString(DOCKERFILE);

        assertThat(yaml).contains("entryClass: " + SluiceJob.class.getName());
        Matcher jar = Pattern.compile("jarURI: local://(\\S+)").matcher(yaml);
        assertThat(jar.find()).isTrue();
        assertThat(dockerfile).containsPattern("COPY job/target/\\S+\\.jar " + Pattern.quote(jar.group(1)));
        assertThat(yaml).contains("args: [\"--config\", \"/opt/sluice/sluice.json\"]");
        assertThat(yaml).contains("mountPath: /opt/sluice");
    }
}
