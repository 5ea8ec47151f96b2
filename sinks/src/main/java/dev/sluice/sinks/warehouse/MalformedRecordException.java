package dev.sluice.sinks.warehouse;

import java.io.IOException;

/**
 * A staged file holds a line that cannot be loaded, so the whole load fails and is rolled back.
 *
 * <p>It is its own type, carrying the file and the line number, so that the caller can tell a
 * poisoned file (retrying will not help; route the load to the errors prefix) from an outage
 * (retry). The message never quotes the line's content, which may hold personal data.
 */
public final class MalformedRecordException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String fileUrl;
    private final long lineNumber;

    public MalformedRecordException(String fileUrl, long lineNumber, String problem) {
        this(fileUrl, lineNumber, problem, null);
    }

    public MalformedRecordException(
            String fileUrl, long lineNumber, String problem, Throwable cause) {
        super("Cannot load " + fileUrl + ":" + lineNumber + ": " + problem, cause);
        this.fileUrl = fileUrl;
        this.lineNumber = lineNumber;
    }

    /** The staged file's url. */
    public String fileUrl() {
        return fileUrl;
    }

    /** 1-based line number within the (decompressed) file. */
    public long lineNumber() {
        return lineNumber;
    }
}
