package org.gamercompanion;

import org.gamercompanion.cli.Cli;

/** Entry point of {@code gamer-companion}; a plain class so JavaFX can later start from the class path. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }
}
