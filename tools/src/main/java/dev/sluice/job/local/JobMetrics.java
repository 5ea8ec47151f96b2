package dev.sluice.job.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a Flink metric of a running job through the MiniCluster's REST API, summed over every
 * operator and subtask that registers it: how the local run learns how many records the transform
 * dropped ({@code TransformDroppedRecords}), which leave no other trace.
 *
 * <p>For each vertex of {@code GET /jobs/<job>}, {@code GET
 * /jobs/<job>/vertices/<v>/subtasks/metrics} lists the metric ids (the operator's scope, then e.g.
 * {@code kinesisanalytics.sluice.TransformDroppedRecords}); those ending in the name are then asked
 * for with {@code ?get=<id>&agg=sum}. The REST API serves what its metric fetcher last collected,
 * so the answer lags by up to {@code metrics.fetcher.update-interval}.
 */
final class JobMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI rest;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param rest the REST endpoint, e.g. {@code http://127.0.0.1:8081}
     */
    JobMetrics(URI rest) {
        this.rest = rest;
    }

    /**
     * The sum of metric {@code name} over the job's operators and subtasks; 0 when none has
     * reported it (yet).
     */
    long sum(String jobId, String name) throws IOException, InterruptedException {
        long total = 0;
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String base =
                    "/jobs/"
                            + jobId
                            + "/vertices/"
                            + vertex.path("id").asText()
                            + "/subtasks/metrics";
            for (JsonNode metric : get(base)) {
                String id = metric.path("id").asText();
                if (!id.equals(name) && !id.endsWith("." + name)) {
                    continue;
                }
                JsonNode values =
                        get(
                                base
                                        + "?get="
                                        + URLEncoder.encode(id, StandardCharsets.UTF_8)
                                        + "&agg=sum");
                for (JsonNode value : values) {
                    total += (long) value.path("sum").asDouble();
                }
            }
        }
        return total;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
