package dev.sluice.sinks.loader;

import dev.sluice.localstack.S3ProxyExtension;
import dev.sluice.sinks.s3.S3ProxyFileSystems;
import dev.sluice.sinks.warehouse.Manifest;
import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.WarehouseDialect;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The url a committed file gets is the object's key exactly as S3 stores it: the manifest entry and
 * the ledger key are that one string, without the percent-escaping of {@code Path.toUri()}.
 */
class StagedUrlS3Test {

    private static final String BUCKET = "staged-urls";

    @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

    @BeforeAll
    static void connectFlinkToS3Proxy() {
        S3ProxyFileSystems.initialize(S3);
        S3.createBucket(BUCKET);
    }

    @Test
    void theManifestUrlOfAKeyWithAPercentAndASpaceIsTheKeyS3Lists() throws Exception {
        // As FileSink builds it: base path, then the bucket id (an encoded partition value) and
        // the part file's name.
        Path path =
                new Path(
                        new Path(new Path("s3://" + BUCKET + "/data"), "region=a%2Fb x"),
                        "part-0 1.json");
        FileSystem fs = path.getFileSystem();
        try (FSDataOutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write("{\"id\":1}\n".getBytes(StandardCharsets.UTF_8));
        }

        List<String> keys = S3.listAllKeys(BUCKET, "data/");
        assertThat(keys).containsExactly("data/region=a%2Fb x/part-0 1.json");

        String url = ToCommittedFile.stagedUrl(path);
        assertThat(url).isEqualTo("s3://" + BUCKET + "/" + keys.get(0));
        assertThat(path.toUri().toString()).isNotEqualTo(url); // what the loader used to send

        Manifest manifest = Manifest.of(List.of(new StagedFile(url, 9)));
        assertThat(WarehouseDialect.REDSHIFT.warehouseUrl(manifest.entries().get(0).url()))
                .isEqualTo("s3://" + BUCKET + "/data/region=a%2Fb x/part-0 1.json");

        // The postgres dialect reads the same string back as the same object.
        try (FSDataInputStream in = new Path(url).getFileSystem().open(new Path(url))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":1}\n");
        }
    }
}
