package org.gamercompanion.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileException;
import org.gamercompanion.profile.ProfileField;
import org.gamercompanion.profile.ProfileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code profile list|show|add|remove|import|export} (docs/PROFILES.md). */
@Command(
        name = "profile",
        description = "Per-game profiles (docs/PROFILES.md).",
        subcommands = {
            ProfileCommand.ListCmd.class,
            ProfileCommand.Show.class,
            ProfileCommand.Add.class,
            ProfileCommand.Remove.class,
            ProfileCommand.Import.class,
            ProfileCommand.Export.class
        })
final class ProfileCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The store option every subcommand takes. */
    static final class StoreOption {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description =
                        "Profile directory (default $XDG_CONFIG_HOME/gamer-companion/profiles).")
        Path dir;

        ProfileStore store() {
            return ProfileDetection.store(dir);
        }
    }

    @Command(
            name = "list",
            description = "List profiles, and files that are not valid profiles with their error.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin StoreOption store;

        @Override
        public Integer call() throws Exception {
            ProfileStore s = store.store();
            ProfileStore.Listing l = s.list();
            if (l.profiles().isEmpty() && l.broken().isEmpty()) {
                System.out.println(
                        "no profiles in "
                                + s.dir()
                                + "; create one with 'profile add NAME --exe GAME'");
            }
            for (ProfileStore.Entry e : l.profiles()) {
                System.out.printf(
                        "%-32s %-28s %s%n",
                        e.profile().name(), e.file().getFileName(), describe(e.profile()));
                e.warnings().forEach(w -> System.out.println("  warning: " + w));
            }
            for (ProfileStore.Broken b : l.broken()) {
                System.out.println("BROKEN " + b.error());
            }
            return l.broken().isEmpty() ? 0 : 2;
        }
    }

    static String describe(Profile p) {
        List<String> parts = new ArrayList<>();
        Profile.Match m = p.match();
        if (!m.exe().isEmpty()) {
            parts.add("exe " + String.join(",", m.exe()));
        }
        if (m.steamAppId() != 0) {
            parts.add("steam " + m.steamAppId());
        }
        if (!m.cmdlineRegex().isEmpty()) {
            parts.add("cmdline /" + m.cmdlineRegex() + "/");
        }
        if (parts.isEmpty()) {
            parts.add("(only with 'run --profile')");
        }
        parts.add("scheduler " + (p.scheduler().enabled() ? "on" : "off"));
        return String.join("; ", parts);
    }

    @Command(name = "show", description = "Print a profile's file.")
    static final class Show implements Callable<Integer> {
        @Mixin StoreOption store;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            ProfileStore.Entry e =
                    store.store()
                            .list()
                            .find(name)
                            .orElseThrow(
                                    () ->
                                            new ProfileException(
                                                    "no profile named \""
                                                            + name
                                                            + "\"; 'profile list' shows the names"));
            System.out.println("# " + e.file());
            System.out.print(Files.readString(e.file(), StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "add", description = "Create a profile.")
    static final class Add implements Callable<Integer> {
        @Mixin StoreOption store;

        @Parameters(
                paramLabel = "NAME",
                description = "The game's name, e.g. \"Counter-Strike 2\".")
        String name;

        @Option(
                names = "--exe",
                paramLabel = "NAME",
                description = "Executable basename or wine .exe (repeatable).")
        List<String> exe = new ArrayList<>();

        @Option(names = "--steam-app-id", paramLabel = "ID", defaultValue = "0")
        long steamAppId;

        @Option(names = "--cmdline-regex", paramLabel = "REGEX", defaultValue = "")
        String cmdlineRegex;

        @Option(
                names = "--scheduler",
                paramLabel = "on|off",
                defaultValue = "off",
                description =
                        "Run the sched_ext scheduler while the game runs (default ${DEFAULT-VALUE}).")
        String scheduler;

        @Option(names = "--boost-window-us", paramLabel = "US")
        Long boostWindowUs;

        @Option(names = "--game-slice-us", paramLabel = "US")
        Long gameSliceUs;

        @Option(names = "--other-slice-us", paramLabel = "US")
        Long otherSliceUs;

        @Option(
                names = "--preempt-on-input",
                paramLabel = "true|false",
                defaultValue = "true",
                arity = "1")
        boolean preemptOnInput;

        @Option(
                names = "--record-session",
                description = "Write an .hlog session file while the game runs.")
        boolean recordSession;

        @Override
        public Integer call() throws Exception {
            if (!scheduler.equals("on") && !scheduler.equals("off")) {
                throw new IllegalArgumentException(
                        "--scheduler must be on or off (was " + scheduler + ")");
            }
            Profile p =
                    Profile.named(name.strip())
                            .withMatch(new Profile.Match(exe, steamAppId, cmdlineRegex))
                            .withScheduler(
                                    new Profile.Scheduler(
                                            scheduler.equals("on"),
                                            value(boostWindowUs, ProfileField.BOOST_WINDOW_US),
                                            value(gameSliceUs, ProfileField.GAME_SLICE_US),
                                            value(otherSliceUs, ProfileField.OTHER_SLICE_US),
                                            preemptOnInput))
                            .withMonitor(new Profile.Monitor(Profile.KINDS, recordSession));
            Path f = store.store().save(p, null);
            System.out.println("created " + f);
            return 0;
        }

        private static long value(Long v, ProfileField f) {
            if (v == null) {
                return f.defaultValue();
            }
            String err = f.checkValue(v);
            if (err != null) {
                throw new IllegalArgumentException("--" + f.key().replace('_', '-') + ": " + err);
            }
            return v;
        }
    }

    @Command(name = "remove", description = "Delete a profile's file.")
    static final class Remove implements Callable<Integer> {
        @Mixin StoreOption store;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            System.out.println("removed " + store.store().remove(name));
            return 0;
        }
    }

    @Command(
            name = "import",
            description = "Check a profile file and copy it into the profile directory as it is.")
    static final class Import implements Callable<Integer> {
        @Mixin StoreOption store;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            System.out.println("imported " + store.store().importFile(file));
            return 0;
        }
    }

    @Command(
            name = "export",
            description = "Copy a profile's file, byte for byte, to FILE (or into a directory).")
    static final class Export implements Callable<Integer> {
        @Mixin StoreOption store;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            System.out.println("exported to " + store.store().exportTo(name, file));
            return 0;
        }
    }
}
