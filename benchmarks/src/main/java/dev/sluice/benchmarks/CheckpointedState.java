package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state size of a running job's latest completed checkpoint, from its JobManager's REST API:
 * {@code GET /jobs/:id/checkpoints} for the checkpoint's id and totals, {@code GET
 * /jobs/:id/checkpoints/details/:checkpointId} for the bytes of each job vertex (the operators
 * chained into it), named by {@code GET /jobs/:id}.
 *
 * @param checkpointId the latest completed checkpoint
 * @param stateBytes its {@code state_size}: the full size of the state it refers to
 * @param checkpointedBytes its {@code checkpointed_size}: what this checkpoint wrote (the same as
 *     {@code stateBytes} for full snapshots, as the heap backend takes)
 * @param stateBytesByVertex {@code state_size} per job vertex name
 */
record CheckpointedState(
        long checkpointId,
        long stateBytes,
        long checkpointedBytes,
        Map<String, Long> stateBytesByVertex) {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Of the one running job behind {@code restPort} on 127.0.0.1; null if none completed yet. */
    static CheckpointedState latest(int restPort) throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + restPort;
        String job = null;
        for (JsonNode j : get(base + "/jobs").path("jobs")) {
            if ("RUNNING".equals(j.path("status").asText())) {
                job = j.path("id").asText();
            }
        }
        if (job == null) {
            return null;
        }
        JsonNode completed =
                get(base + "/jobs/" + job + "/checkpoints").path("latest").path("completed");
        if (completed.isMissingNode() || completed.isNull()) {
            return null;
        }
        long id = completed.path("id").asLong();
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode v : get(base + "/jobs/" + job).path("vertices")) {
            names.put(v.path("id").asText(), v.path("name").asText());
        }
        Map<String, Long> byVertex = new LinkedHashMap<>();
        get(base + "/jobs/" + job + "/checkpoints/details/" + id)
                .path("tasks")
                .fields()
                .forEachRemaining(
                        e ->
                                byVertex.put(
                                        names.getOrDefault(e.getKey(), e.getKey()),
                                        e.getValue().path("state_size").asLong()));
        return new CheckpointedState(
                id,
                completed.path("state_size").asLong(),
                completed.path("checkpointed_size").asLong(),
                byVertex);
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + ": HTTP " + response.statusCode());
        }
        return BenchmarkReport.mapper().readTree(response.body());
    }
}
