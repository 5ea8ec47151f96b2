package dev.sluice.tools;

import dev.sluice.job.cli.CheckCommand;
import dev.sluice.job.cli.ImportFirehoseCommand;
import dev.sluice.job.cli.ProduceCommand;
import dev.sluice.job.cli.ReplayCommand;
import dev.sluice.job.local.LocalRun;

import java.util.Arrays;

/**
 * The main class of {@code sluice-tools.jar}: {@code java -jar sluice-tools.jar
 * check|replay|import-firehose|produce|local …}. The jar carries Flink, the job and its connectors,
 * so these commands need nothing but a Java 17 runtime ({@code local} also needs Node.js for the
 * emulated Kinesis, as before). Each command exits with its own status.
 */
public final class SluiceTools {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: java -jar sluice-tools.jar COMMAND [ARGS]",
                    "  check --config FILE [--warehouse-selftest [--scratch-schema NAME]]",
                    "  replay --config FILE [--manifest s3://…/<load-id>.manifest]... [--all]",
                    "  import-firehose FILE [--out sluice-config.json]",
                    "  produce --stream NAME (--records N | --input FILE) [--rate N] [--endpoint URL]",
                    "  local (--records N | --input FILE) [flags]   (needs Node.js and the build tree)",
                    "Run a command with --help for its flags.");

    private SluiceTools() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "check" -> CheckCommand.main(rest);
            case "replay" -> ReplayCommand.main(rest);
            case "import-firehose" -> ImportFirehoseCommand.main(rest);
            case "produce" -> ProduceCommand.main(rest);
            case "local" -> LocalRun.main(rest);
            case "-h", "--help", "help" -> System.out.println(USAGE);
            default -> {
                System.err.println("sluice-tools: unknown command '" + args[0] + "'");
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }
}
