package dev.sluice.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The few calls of Flink's REST API (the one {@code flink run} and the web UI use) that deploying
 * and operating a job takes: upload a jar, run it (optionally from a savepoint, at a parallelism),
 * stop it with a savepoint, and read job, checkpoint and cluster state.
 *
 * <p>Every wait is bounded and its failure names what was awaited and the last answer seen.
 */
public final class FlinkRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 250;

    private final String baseUrl;
    private final HttpClient http;

    public FlinkRestClient(String baseUrl) {
        this.baseUrl = baseUrl;
        // HTTP/1.1: Flink's REST server does not speak HTTP/2 and would answer an upgrade request
        // with an error.
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** {@code POST /jars/upload}: returns the jar id the run call takes. The jar is streamed. */
    public String uploadJar(Path jar) {
        String boundary = "sluice-" + UUID.randomUUID();
        String head =
                "--"
                        + boundary
                        + "\r\n"
                        + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName()
                        + "\"\r\n"
                        + "Content-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body;
        try {
            body =
                    HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofString(head),
                            HttpRequest.BodyPublishers.ofFile(jar),
                            HttpRequest.BodyPublishers.ofString(tail));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(uri("/jars/upload"))
                                .timeout(Duration.ofSeconds(120))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(body)
                                .build());
        String stored = answer.path("filename").asText("");
        if (!"success".equals(answer.path("status").asText()) || stored.isEmpty()) {
            throw new IllegalStateException("Jar upload of " + jar + " failed: " + answer);
        }
        return Path.of(stored).getFileName().toString();
    }

    /**
     * {@code POST /jars/:id/run}: runs the jar's main class with {@code programArgs}, from {@code
     * savepointPath} when not null; returns the job id.
     */
    public String runJar(
            String jarId, List<String> programArgs, int parallelism, String savepointPath) {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode args = request.putArray("programArgsList");
        programArgs.forEach(args::add);
        request.put("parallelism", parallelism);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
            request.put("allowNonRestoredState", false);
        }
        JsonNode answer = post("/jars/" + jarId + "/run", request, Duration.ofSeconds(120));
        String jobId = answer.path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new IllegalStateException(
                    "Running jar " + jarId + " returned no job id: " + answer);
        }
        return jobId;
    }

    /**
     * {@code POST /jobs/:id/stop} with a target directory, then polls the savepoint operation;
     * returns the savepoint's location once the job is stopped.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", targetDirectory);
        request.put("drain", false);
        String triggerId =
                post("/jobs/" + jobId + "/stop", request, REQUEST_TIMEOUT)
                        .path("request-id")
                        .asText();
        JsonNode status =
                await(
                        "stop-with-savepoint of job " + jobId + " to complete",
                        () -> get("/jobs/" + jobId + "/savepoints/" + triggerId),
                        s -> "COMPLETED".equals(s.path("status").path("id").asText()),
                        timeout);
        JsonNode operation = status.path("operation");
        if (operation.has("failure-cause") || !operation.has("location")) {
            throw new IllegalStateException(
                    "Stop-with-savepoint of job " + jobId + " failed: " + operation);
        }
        await(
                "job " + jobId + " to finish after its savepoint",
                () -> job(jobId),
                j -> "FINISHED".equals(j.path("state").asText()),
                timeout);
        return operation.path("location").asText();
    }

    /** {@code GET /jobs/:id}. */
    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    /**
     * {@code GET /jobs/:id/checkpoints}: counts, {@code latest.completed}, {@code latest.restored}.
     */
    public JsonNode checkpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** The job's {@code numRestarts} metric: how often it restarted since it was submitted. */
    public long numRestarts(String jobId) {
        JsonNode metrics = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        for (JsonNode metric : metrics) {
            if ("numRestarts".equals(metric.path("id").asText())) {
                return metric.path("value").asLong();
            }
        }
        throw new IllegalStateException(
                "Job " + jobId + " reports no numRestarts metric: " + metrics);
    }

    /**
     * {@code GET /jobs/:id/exceptions}: the root exception and the history of failures that
     * restarted the job ({@code exceptionHistory.entries}, newest first).
     */
    public JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions");
    }

    /** {@code PATCH /jobs/:id?mode=cancel}, then waits until the job is CANCELED. */
    public void cancel(String jobId, Duration timeout) {
        send(
                HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                        .timeout(REQUEST_TIMEOUT)
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build());
        await(
                "job " + jobId + " to be canceled",
                () -> job(jobId),
                j -> "CANCELED".equals(j.path("state").asText()),
                timeout);
    }

    /** {@code GET /overview}: task managers, slots total and available, jobs by state. */
    public JsonNode overview() {
        return get("/overview");
    }

    /**
     * Waits until the job is RUNNING with every task of every vertex RUNNING (so its sources read),
     * failing early if it reaches a globally terminal state.
     */
    public JsonNode awaitAllTasksRunning(String jobId, Duration timeout) {
        return await(
                "every task of job " + jobId + " to run",
                () -> job(jobId),
                job -> {
                    String state = job.path("state").asText();
                    if (state.equals("FAILED")
                            || state.equals("CANCELED")
                            || state.equals("FINISHED")) {
                        throw new IllegalStateException(
                                "Job " + jobId + " ended while starting: " + job);
                    }
                    if (!state.equals("RUNNING") || job.path("vertices").isEmpty()) {
                        return false;
                    }
                    for (JsonNode vertex : job.path("vertices")) {
                        if (!"RUNNING".equals(vertex.path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                },
                timeout);
    }

    /**
     * Polls {@code call} until {@code done} holds, at most {@code timeout}; returns the last
     * answer.
     */
    public static JsonNode await(
            String what,
            java.util.function.Supplier<JsonNode> call,
            Predicate<JsonNode> done,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = call.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RestException e) {
                lastError = e; // e.g. a job not yet known right after submission
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(
                "Timed out after "
                        + timeout
                        + " waiting for "
                        + what
                        + "; last answer: "
                        + (lastError != null ? lastError.getMessage() : last));
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RestException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "Interrupted during " + request.method() + " " + request.uri(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new RestException(
                    request.method()
                            + " "
                            + request.uri()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body(),
                    null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RestException(
                    "Unreadable answer from " + request.uri() + ": " + response.body(), e);
        }
    }

    /** A call the REST API refused or did not answer. */
    public static final class RestException extends RuntimeException {
        RestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
