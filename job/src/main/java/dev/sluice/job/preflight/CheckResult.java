package dev.sluice.job.preflight;

import java.util.Objects;

/**
 * The outcome of one preflight check, as the one line {@code ./sluice check} prints: {@code ok
 * <what>} or {@code FAIL <group>.<key>: <what is wrong> — <what to do>}.
 */
public record CheckResult(boolean ok, String line) {

    public CheckResult {
        Objects.requireNonNull(line, "line");
    }

    public static CheckResult ok(String what) {
        return new CheckResult(true, "ok " + what);
    }

    /**
     * @param group the property group whose setting is wrong or missing in the world
     * @param key the key within it
     * @param problem what is wrong; never a secret's value
     * @param remedy what to do about it
     */
    public static CheckResult fail(String group, String key, String problem, String remedy) {
        return new CheckResult(
                false, "FAIL " + group + "." + key + ": " + oneLine(problem) + " — " + remedy);
    }

    /** A driver's or SDK's message on one line: the first line, trimmed. */
    public static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    @Override
    public String toString() {
        return line;
    }
}
