package dev.sluice.job.local;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JobMetrics} against a server answering as Flink's REST API does. */
class JobMetricsTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void sumsTheMetricOverEveryVertexThatRegistersItAndIgnoresOthers() throws Exception {
        String dropped = "Transform.kinesisanalytics.sluice.TransformDroppedRecords";
        Map<String, String> answers =
                Map.of(
                        "/jobs/j1",
                        "{\"vertices\":[{\"id\":\"v1\"},{\"id\":\"v2\"}]}",
                        "/jobs/j1/vertices/v1/subtasks/metrics",
                        "[{\"id\":\""
                                + dropped
                                + "\"},"
                                + "{\"id\":\"Transform.kinesisanalytics.sluice.TransformOkRecords\"}]",
                        "/jobs/j1/vertices/v1/subtasks/metrics?get=" + dropped + "&agg=sum",
                        "[{\"id\":\"" + dropped + "\",\"sum\":7.0}]",
                        "/jobs/j1/vertices/v2/subtasks/metrics",
                        "[{\"id\":\"Source.numRecordsOut\"}]");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String answer = answers.get(exchange.getRequestURI().toString());
                    byte[] body =
                            (answer == null ? "{\"errors\":[\"not found\"]}" : answer)
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();

        JobMetrics metrics =
                new JobMetrics(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));

        assertThat(metrics.sum("j1", "TransformDroppedRecords")).isEqualTo(7);
        assertThat(metrics.sum("j1", "NoSuchMetric")).isZero();
    }
}
