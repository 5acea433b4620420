package org.gamercompanion.ab;

/** An A/B test cannot go on; the message says why, in words for the player. */
public final class AbException extends Exception {
    public AbException(String message) {
        super(message);
    }
}
