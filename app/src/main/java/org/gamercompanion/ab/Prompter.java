package org.gamercompanion.ab;

/**
 * Asks the player to switch a scheduler by hand ("now start scx_simple, then press Continue"): the
 * terminal's Enter for {@code ab}, a Continue button in the window. Blocks until they answer.
 */
@FunctionalInterface
public interface Prompter {
    /**
     * @throws AbException when the player stops the test instead
     */
    void ask(String instruction) throws AbException;
}
