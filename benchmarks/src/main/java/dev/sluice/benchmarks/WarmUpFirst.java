package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A contender's JVM for {@code ./sluice benchmark pipeline --warm-up-records N}: runs the
 * contender's main class once as a warm-up, cancels that job when the benchmark says so, and then
 * runs it again as the measured run, in the same JVM.
 *
 * <p>Why: a streaming job runs for hours, and in a JVM under a minute old a third of the CPU goes
 * to the JIT compiler (docs/benchmarks.md). Both runs read the same stream from its start into
 * different places (another table and ledger, another S3 prefix, another checkpoint directory), so
 * the measured run does the same work as in a cold JVM, on code the warm-up has already compiled;
 * the stream and the emulator's backlog are the same as for a cold run.
 *
 * <p>Arguments, in this order: {@code --go FILE --warm-up-rest-port PORT --main-class CLASS
 * --warm-up ARGS… --measured ARGS…}. The benchmark creates {@code FILE} once the warm-up has
 * delivered its records; this JVM then cancels every job on the warm-up's REST port, waits for the
 * warm-up's {@code main} to return, and calls {@code main} with the measured arguments.
 */
public final class WarmUpFirst {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WarmUpFirst() {}

    public static void main(String[] args) throws Exception {
        List<String> all = Arrays.asList(args);
        int warmUpAt = all.indexOf("--warm-up");
        int measuredAt = all.indexOf("--measured");
        if (warmUpAt != 6
                || measuredAt < warmUpAt
                || !all.get(0).equals("--go")
                || !all.get(2).equals("--warm-up-rest-port")
                || !all.get(4).equals("--main-class")) {
            throw new IllegalArgumentException(
                    "usage: --go FILE --warm-up-rest-port PORT --main-class CLASS"
                            + " --warm-up ARGS… --measured ARGS…; got "
                            + all);
        }
        Path go = Path.of(args[1]);
        int warmUpPort = Integer.parseInt(args[3]);
        Method main = Class.forName(args[5]).getMethod("main", String[].class);
        String[] warmUpArgs = Arrays.copyOfRange(args, warmUpAt + 1, measuredAt);
        String[] measuredArgs = Arrays.copyOfRange(args, measuredAt + 1, args.length);

        Thread warmUp =
                new Thread(
                        () -> {
                            try {
                                main.invoke(null, (Object) warmUpArgs);
                            } catch (Exception cancelled) {
                                // The cancelled job's execute() throws; expected.
                            }
                        },
                        "warm-up");
        warmUp.start();
        while (!Files.exists(go)) {
            if (!warmUp.isAlive()) {
                throw new IllegalStateException("the warm-up run ended before it was told to");
            }
            Thread.sleep(100);
        }
        cancelAll(warmUpPort);
        warmUp.join(Duration.ofSeconds(60).toMillis());
        if (warmUp.isAlive()) {
            throw new IllegalStateException(
                    "the warm-up job did not end within 60 s of its cancel");
        }
        System.out.println("[warm-up] done; measured run starts");
        main.invoke(null, (Object) measuredArgs);
    }

    /** Cancels every job of the MiniCluster whose REST API listens on {@code port}. */
    private static void cancelAll(int port) throws Exception {
        String base = "http://127.0.0.1:" + port + "/jobs";
        JsonNode jobs =
                BenchmarkReport.mapper()
                        .readTree(
                                HTTP.send(
                                                HttpRequest.newBuilder(URI.create(base)).build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body())
                        .path("jobs");
        for (JsonNode job : jobs) {
            if (!job.path("status").asText().equals("RUNNING")) {
                continue;
            }
            HttpResponse<String> cancelled =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    base
                                                            + "/"
                                                            + job.path("id").asText()
                                                            + "?mode=cancel"))
                                    .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (cancelled.statusCode() != 202) {
                throw new IllegalStateException(
                        "cancel of warm-up job "
                                + job.path("id").asText()
                                + " gave HTTP "
                                + cancelled.statusCode()
                                + ": "
                                + cancelled.body());
            }
        }
    }
}
