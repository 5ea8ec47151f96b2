package dev.sluice.benchmarks;

import dev.sluice.localstack.MachineInfo;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a benchmark's result goes: a Markdown table and a JSON document under {@code
 * benchmarks/results/} (or {@code --results DIR}), each with the machine (cores, CPU model,
 * memory), the command, the date and the 1-minute load average at start and end, so a figure in the
 * docs can say what produced it and how busy the machine was.
 */
final class BenchmarkReport {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final String command;
    private final Instant startedAt = Instant.now();

    /**
     * The machine's CPUs, counted at the start: a benchmark that pins itself to some of them
     * ({@code --pin-source}) would otherwise report only those.
     */
    private final int cores = Runtime.getRuntime().availableProcessors();

    private final String loadAtStart = loadAverage();
    private final ObjectNode root = JSON.createObjectNode();

    BenchmarkReport(String name, String[] args) {
        this.name = name;
        this.command =
                "./sluice benchmark "
                        + name
                        + (args.length == 0 ? "" : " " + String.join(" ", args));
    }

    /** The median of a contender's per-round figures (the upper one of an even count). */
    static double median(List<Double> roundSeconds) {
        List<Double> sorted = new ArrayList<>(roundSeconds);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Adds a contender measured in rounds to the JSON's {@code contenders}: its round times, and
     * rows/s and MB/s of JSON at the {@link #median} round.
     *
     * @return the contender's entry, for figures of its own
     */
    ObjectNode addRounds(String contender, List<Double> roundSeconds, long rows, long jsonBytes) {
        double median = median(roundSeconds);
        JsonNode existing = root.get("contenders");
        ArrayNode contenders =
                existing instanceof ArrayNode ? (ArrayNode) existing : root.putArray("contenders");
        ObjectNode row = contenders.addObject();
        row.put("name", contender);
        row.putPOJO("round_seconds", List.copyOf(roundSeconds));
        row.put("rows_per_s", rows / median);
        row.put("mb_per_s_of_json", jsonBytes / median / 1e6);
        return row;
    }

    /** The JSON document's body; benchmarks add their figures here. */
    ObjectNode json() {
        return root;
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    /** The 1-minute load average now, as {@code /proc/loadavg} says. */
    static String loadAverage() {
        return MachineInfo.loadAverage();
    }

    /** Writes {@code <name>-<UTC time>.md} and {@code .json}; returns the Markdown path. */
    Path write(Path dir, List<String> table, List<String> notes) throws IOException {
        Files.createDirectories(dir);
        String stamp =
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(startedAt);
        String loadAtEnd = loadAverage();
        String machine =
                String.format(
                        "%d cores (%s), %s RAM, Java %s",
                        cores,
                        MachineInfo.cpuModel(),
                        MachineInfo.memory(),
                        System.getProperty("java.version"));

        ObjectNode head = JSON.createObjectNode();
        head.put("benchmark", name);
        head.put("command", command);
        head.put("date", startedAt.toString());
        ObjectNode m = head.putObject("machine");
        m.put("nproc", cores);
        m.put("cpu_model", MachineInfo.cpuModel());
        m.put("memory", MachineInfo.memory());
        m.put("java", System.getProperty("java.version"));
        head.put("load_average_1m_start", loadAtStart);
        head.put("load_average_1m_end", loadAtEnd);
        head.setAll(root);
        Path json = dir.resolve(name + "-" + stamp + ".json");
        JSON.writeValue(json.toFile(), head);

        StringBuilder md = new StringBuilder();
        md.append("# ").append(name).append(" benchmark\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- date: ").append(startedAt).append('\n');
        md.append("- machine: ").append(machine).append('\n');
        md.append("- load average (1 min) at start / end: ")
                .append(loadAtStart)
                .append(" / ")
                .append(loadAtEnd)
                .append('\n');
        md.append('\n');
        table.forEach(line -> md.append(line).append('\n'));
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(line -> md.append("- ").append(line).append('\n'));
        }
        Path markdown = dir.resolve(name + "-" + stamp + ".md");
        Files.writeString(markdown, md);
        return markdown;
    }
}
