package org.gamercompanion;

import org.gamercompanion.app.Launcher;
import org.gamercompanion.cli.Cli;

/**
 * Entry point of {@code gamer-companion}: with no arguments the window, otherwise the CLI. A plain
 * class (not an Application) so JavaFX starts from the class path.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(args.length == 0 ? Launcher.launch(args) : Cli.run(args));
    }
}
