package dev.sluice.tools.chaos;

import dev.sluice.localstack.MachineInfo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The chaos suite's result as {@code chaos-<UTC time>.md} and {@code .json}, next to the
 * benchmarks' results and in their shape: the command, the date, the machine and its load average
 * at start and end, then per run and in total the faults injected by kind, lost, duplicated, and
 * the time to recover.
 */
final class ChaosReport {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String command;
    private final Instant startedAt = Instant.now();
    private final String loadAtStart = MachineInfo.loadAverage();

    ChaosReport(String[] args) {
        this.command = "./sluice chaos" + (args.length == 0 ? "" : " " + String.join(" ", args));
    }

    /** Writes both files into {@code dir}; returns the Markdown one. */
    Path write(Path dir, ChaosOptions options, ChaosSuite.Outcome outcome) throws IOException {
        Files.createDirectories(dir);
        String stamp =
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(startedAt);
        String loadAtEnd = MachineInfo.loadAverage();
        List<RunResult> runs = outcome.runs();
        Map<Fault, Integer> byKind = new EnumMap<>(Fault.class);
        runs.forEach(r -> byKind.merge(r.fault(), 1, Integer::sum));
        long lost = runs.stream().mapToLong(RunResult::lost).sum();
        long duplicated = runs.stream().mapToLong(RunResult::duplicated).sum();
        long unexpected = runs.stream().mapToLong(RunResult::unexpected).sum();
        long produced = runs.stream().mapToLong(RunResult::produced).sum();

        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "chaos");
        root.put("command", command);
        root.put("date", startedAt.toString());
        ObjectNode machine = root.putObject("machine");
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("cpu_model", MachineInfo.cpuModel());
        machine.put("memory", MachineInfo.memory());
        machine.put("java", System.getProperty("java.version"));
        root.put("load_average_1m_start", loadAtStart);
        root.put("load_average_1m_end", loadAtEnd);
        root.put("seed", options.seed());
        root.put("records_per_run", options.records());
        root.put("rate_per_s", options.rate());
        root.put("parallelism", options.parallelism());
        root.put("checkpoint_interval_ms", options.checkpointIntervalMs());
        root.put("runs_planned", options.runs());
        root.put("runs_completed", runs.size());
        root.put("passed", outcome.passed(options.runs()));
        if (outcome.failure() != null) {
            root.put("failure", outcome.failure());
        }
        ObjectNode totals = root.putObject("totals");
        totals.put("produced", produced);
        totals.put("lost", lost);
        totals.put("duplicated", duplicated);
        totals.put("unexpected", unexpected);
        ObjectNode kinds = totals.putObject("faults_by_kind");
        byKind.forEach((fault, n) -> kinds.put(fault.label(), n));
        ArrayNode list = root.putArray("runs");
        for (RunResult r : runs) {
            ObjectNode run = list.addObject();
            run.put("run", r.run());
            run.put("fault", r.fault().label());
            run.put("job_id", r.jobId());
            run.put("produced", r.produced());
            run.put("rows", r.rows());
            run.put("distinct", r.distinct());
            run.put("errors", r.errors());
            run.put("lost", r.lost());
            run.put("duplicated", r.duplicated());
            run.put("unexpected", r.unexpected());
            run.put("rows_at_fault", r.rowsAtFault());
            run.put("killed_pid", r.killedPid());
            run.put("down_ms", r.downMillis());
            run.put("recovered_ms", r.recoveredMillis());
            run.put("restarts", r.restarts());
            ArrayNode causes = run.putArray("restart_causes");
            r.restartCauses().forEach(causes::add);
            run.put("detail", r.detail());
            run.put("duration_ms", r.durationMillis());
        }
        JSON.writeValue(dir.resolve("chaos-" + stamp + ".json").toFile(), root);

        StringBuilder md = new StringBuilder("# chaos suite\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- date: ").append(startedAt).append('\n');
        md.append(
                String.format(
                        "- machine: %d cores (%s), %s RAM, Java %s%n",
                        Runtime.getRuntime().availableProcessors(),
                        MachineInfo.cpuModel(),
                        MachineInfo.memory(),
                        System.getProperty("java.version")));
        md.append("- load average (1 min) at start / end: ")
                .append(loadAtStart)
                .append(" / ")
                .append(loadAtEnd)
                .append('\n');
        md.append(
                String.format(
                        "- seed %d; %d records per run at %d records/s; parallelism %d;"
                                + " checkpoints every %d ms%n",
                        options.seed(),
                        options.records(),
                        options.rate(),
                        options.parallelism(),
                        options.checkpointIntervalMs()));
        md.append(
                String.format(
                        "- result: %d of %d runs, %d events, **lost %d, duplicated %d**, rows never"
                                + " produced %d%s%n",
                        runs.size(),
                        options.runs(),
                        produced,
                        lost,
                        duplicated,
                        unexpected,
                        outcome.failure() == null ? "" : "; stopped early: " + outcome.failure()));
        StringBuilder kindsLine = new StringBuilder("- faults by kind:");
        byKind.forEach(
                (fault, n) ->
                        kindsLine
                                .append(' ')
                                .append(fault.label())
                                .append(' ')
                                .append(n)
                                .append(','));
        md.append(kindsLine.substring(0, kindsLine.length() - (byKind.isEmpty() ? 0 : 1)))
                .append("\n\n");
        md.append(
                "| run | fault | produced | rows | errors | lost | duplicated | down (ms) |"
                        + " recovered (ms) | restarts | detail |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResult r : runs) {
            md.append(
                    String.format(
                            "| %d | %s | %d | %d | %d | %d | %d | %d | %d | %d | %s |%n",
                            r.run(),
                            r.fault().label(),
                            r.produced(),
                            r.rows(),
                            r.errors(),
                            r.lost(),
                            r.duplicated(),
                            r.downMillis(),
                            r.recoveredMillis(),
                            r.restarts(),
                            r.detail().replace("|", "\\|")));
        }
        md.append(
                "\n- down: from the signal until the process (or a new TaskManager) served again;"
                        + " recovered: from the signal until the table grew again after that.\n");
        Path markdown = dir.resolve("chaos-" + stamp + ".md");
        Files.writeString(markdown, md);
        return markdown;
    }
}
