package org.gamercompanion;

import org.gamercompanion.app.GamerCompanionApp;
import org.gamercompanion.app.Launcher;
import org.gamercompanion.cli.Cli;
import org.gamercompanion.cli.CompareCommand;

/**
 * Entry point of {@code gamer-companion}: with no arguments the window ({@code --tray}: hidden in
 * the tray, what the autostart entry runs), otherwise the CLI. A plain class (not an Application)
 * so JavaFX starts from the class path.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        boolean window =
                args.length == 0 || args.length == 1 && args[0].equals(GamerCompanionApp.TRAY_ARG);
        CompareCommand.windowOpener(Launcher::compare);
        System.exit(window ? Launcher.launch(args) : Cli.run(args));
    }
}
