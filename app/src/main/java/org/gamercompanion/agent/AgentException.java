package org.gamercompanion.agent;

import java.io.IOException;

/** The agent could not be started, refused a command, or went away. The message names the step. */
public final class AgentException extends IOException {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
