package org.gamercompanion.recording;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A recording that cannot be read as one, with the file, the line (0 when the problem is the file
 * as a whole) and the reason, in words a player can act on: {@code A.hlog line 14: the histogram is
 * corrupt (zlib: incorrect data check)}.
 */
public final class RecordingException extends IOException {
    private final Path file;
    private final long line;
    private final String reason;

    public RecordingException(Path file, long line, String reason) {
        super(file + (line > 0 ? " line " + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** 1-based; 0 when the problem is not on one line. */
    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
