package dev.sluice.job.cli;

import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.SluiceConfig;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./sluice import-firehose FILE [--out FILE]}: prints (or writes) the Sluice property groups
 * for a Firehose {@code RedshiftDestinationConfiguration}, then lists on stderr what has no
 * equivalent or needs a decision. The result is checked with the same validation the job runs.
 *
 * <p>Exit status: 0 on success, 1 if the result does not validate (it is still written), 2 for a
 * usage error or unreadable input.
 */
public final class ImportFirehoseCommand {

    static final String USAGE = "usage: ./sluice import-firehose FILE [--out sluice-config.json]";

    private ImportFirehoseCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String input = null;
        String output = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                output = args[++i];
            } else if (args[i].startsWith("-") || input != null) {
                err.println(USAGE);
                return 2;
            } else {
                input = args[i];
            }
        }
        if (input == null) {
            err.println(USAGE);
            return 2;
        }
        FirehoseImport.Result result;
        try {
            result =
                    FirehoseImport.fromJson(
                            Files.readString(Path.of(input), StandardCharsets.UTF_8));
        } catch (Exception e) {
            err.println("import-firehose: cannot read " + input + ": " + e.getMessage());
            return 2;
        }
        try {
            Path target =
                    output != null
                            ? Path.of(output)
                            : Files.createTempFile("sluice-import", ".json");
            ApplicationProperties.write(result.groups(), target);
            if (output == null) {
                out.print(Files.readString(target, StandardCharsets.UTF_8));
                out.println();
                Files.deleteIfExists(target);
            } else {
                err.println("wrote " + output);
            }
        } catch (Exception e) {
            err.println("import-firehose: cannot write the configuration: " + e.getMessage());
            return 2;
        }
        err.println("Notes (what has no equivalent or needs a decision):");
        result.notes().forEach(note -> err.println("  - " + note));
        try {
            SluiceConfig.from(result.groups());
        } catch (RuntimeException e) {
            err.println("The result does not validate yet: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
