package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gamercompanion.sys.Errno;
import org.gamercompanion.sys.ErrnoException;
import org.gamercompanion.sys.SeqPacketSocket;

/**
 * Root-only fixtures for the privileged-launch tests (docs/PRIVILEGES.md): a throwaway user, a
 * system D-Bus with polkitd, the policy and a polkit rule, the agent at its installed path. Each
 * one touches system state only where nothing was there before, and undoes exactly what it did.
 */
final class PrivilegedLaunchFixtures {
    private static final int ECONNRESET = 104;
    static final Path REPO = Path.of(System.getProperty("user.dir"));
    static final Path POLICY_SOURCE = REPO.resolve("installer/polkit/org.gamercompanion.policy");
    static final Path INSTALLED_AGENT = Path.of(NativeBinaries.INSTALLED_DIR, "gamer-agent");

    /** Where pkexec (setuid: it ignores DBUS_SYSTEM_BUS_ADDRESS) finds the system bus. */
    static final Path SYSTEM_BUS_SOCKET = Path.of("/run/dbus/system_bus_socket");

    static final Path ACTIONS_DIR = Path.of("/usr/share/polkit-1/actions");
    static final Path RULES_DIR = Path.of("/etc/polkit-1/rules.d");

    private PrivilegedLaunchFixtures() {}

    static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static void assumeRoot(String what) {
        assumeTrue(
                isRoot(),
                what + " skipped: needs root (creates a user, starts a system bus and polkitd)");
    }

    /**
     * Installs pkexec, polkitd, dbus-daemon and xmllint if missing; skips with the script's reason
     * if it cannot.
     */
    static void assumePolkitTools() {
        Result r = run(List.of(REPO.resolve("src/test/polkit/polkit-deps.sh").toString()), 600);
        assumeTrue(r.code == 0, "polkit test tools missing and not installable: " + r.out);
    }

    record Result(int code, String out) {}

    /** Runs a command to its end (bounded), stdout and stderr together. */
    static Result run(List<String> cmd, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Result(-1, cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static Result runOk(List<String> cmd) {
        Result r = run(cmd, 60);
        assertThat(r.code).as(String.join(" ", cmd) + " -> " + r.out).isZero();
        return r;
    }

    /** A system user created for one test class, removed with its home afterwards. */
    static final class TestUser implements AutoCloseable {
        final String name;
        final int uid;
        final int gid;
        final Path home;

        private TestUser(String name, int uid, int gid, Path home) {
            this.name = name;
            this.uid = uid;
            this.gid = gid;
            this.home = home;
        }

        static TestUser create() throws IOException {
            String name = "gcpk" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
            runOk(
                    List.of(
                            "useradd",
                            "--system",
                            "--user-group",
                            "--no-create-home",
                            "--shell",
                            "/usr/sbin/nologin",
                            name));
            int uid = Integer.parseInt(runOk(List.of("id", "-u", name)).out);
            int gid = Integer.parseInt(runOk(List.of("id", "-g", name)).out);
            Path home = Files.createTempDirectory("gc-pktest-home");
            runOk(List.of("chown", uid + ":" + gid, home.toString()));
            return new TestUser(name, uid, gid, home);
        }

        /**
         * {@code cmd} as this user: no groups, no controlling terminal (pkexec must not prompt on
         * one).
         */
        List<String> asUser(List<String> cmd) {
            List<String> full =
                    new ArrayList<>(
                            List.of(
                                    "setsid",
                                    "-w",
                                    "setpriv",
                                    "--reuid=" + uid,
                                    "--regid=" + gid,
                                    "--clear-groups",
                                    "--"));
            full.addAll(cmd);
            return full;
        }

        @Override
        public void close() throws IOException {
            run(List.of("userdel", name), 60);
            deleteTree(home);
        }
    }

    /**
     * Copies the test JVM's class path where the test user can read it (the Maven repository under
     * /root is private) and returns the java command line that runs {@code mainClass} from it.
     */
    static List<String> javaCommand(Path dir, String mainClass, List<String> args)
            throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = dir.resolve((i++) + "-" + src.getFileName());
            copyTree(src, dst);
            entries.add(dst.toString());
        }
        makeReadableByAll(dir);
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                ProcessHandle.current().info().command().orElseThrow(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-Dgc.native.dir=" + System.getProperty("gc.native.dir"),
                                "-cp",
                                String.join(File.pathSeparator, entries),
                                mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * A system bus at the standard socket with polkitd started on demand by bus activation (as
     * systemd-less systems do), the policy installed, and optionally a rule. Only when no system
     * bus runs: a live one (and its polkitd) is never touched.
     */
    static final class PolkitAuthority implements AutoCloseable {
        private final Process bus;
        private final List<Path> created = new ArrayList<>();

        private PolkitAuthority(Process bus) {
            this.bus = bus;
        }

        static boolean systemBusRuns() {
            return run(
                                    List.of(
                                            "dbus-send",
                                            "--system",
                                            "--print-reply",
                                            "--dest=org.freedesktop.DBus",
                                            "/org/freedesktop/DBus",
                                            "org.freedesktop.DBus.GetId"),
                                    10)
                            .code
                    == 0;
        }

        /**
         * @param ruleForUser a user whom a rule in /etc/polkit-1/rules.d grants the action without
         *     a prompt (polkit.Result.YES), or null for no rule
         */
        static PolkitAuthority start(String ruleForUser) throws IOException {
            assumeTrue(
                    !systemBusRuns(),
                    "a system D-Bus already runs here: the test leaves a live bus and polkitd alone");
            assumeTrue(
                    Files.isDirectory(ACTIONS_DIR) && Files.isDirectory(RULES_DIR),
                    "polkit's " + ACTIONS_DIR + " or " + RULES_DIR + " is missing");
            Path policy = ACTIONS_DIR.resolve(POLICY_SOURCE.getFileName());
            assumeTrue(
                    !Files.exists(policy) || Files.mismatch(policy, POLICY_SOURCE) == -1,
                    policy
                            + " exists and differs from "
                            + POLICY_SOURCE
                            + " (an installed package?): not overwritten");
            List<Path> created = new ArrayList<>();
            // Everything polkitd reads is in place before the bus starts it: it loads actions and
            // rules at start-up, so no reload has to be waited for.
            if (!Files.exists(policy)) {
                Files.copy(POLICY_SOURCE, policy);
                created.add(policy);
            }
            if (ruleForUser != null) {
                Path rule = RULES_DIR.resolve("49-gamer-companion-test-" + ruleForUser + ".rules");
                Files.writeString(
                        rule,
                        """
                        // Written by PkexecLaunchTest, removed when it ends.
                        polkit.addRule(function(action, subject) {
                            if (action.id == "%s" && subject.user == "%s") {
                                return polkit.Result.YES;
                            }
                        });
                        """
                                .formatted(AgentLauncher.POLKIT_ACTION, ruleForUser));
                Files.setPosixFilePermissions(rule, PosixFilePermissions.fromString("rw-r--r--"));
                created.add(rule);
            }
            boolean socketExisted = Files.exists(SYSTEM_BUS_SOCKET, LinkOption.NOFOLLOW_LINKS);
            Files.createDirectories(SYSTEM_BUS_SOCKET.getParent());
            Process bus =
                    new ProcessBuilder(
                                    "dbus-daemon",
                                    "--system",
                                    "--nofork",
                                    "--nopidfile",
                                    "--print-address=1")
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            PolkitAuthority a = new PolkitAuthority(bus);
            a.created.addAll(created);
            if (!socketExisted) {
                a.created.add(SYSTEM_BUS_SOCKET);
            }
            // The address line is printed once the bus listens: that is the readiness signal.
            String address =
                    new BufferedReader(
                                    new InputStreamReader(
                                            bus.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
            if (address == null || !address.startsWith("unix:path=" + SYSTEM_BUS_SOCKET)) {
                a.close();
                throw new IOException(
                        "dbus-daemon --system did not start (printed " + address + ")");
            }
            return a;
        }

        /** pkaction's answer for our action (starts polkitd through the bus on first use). */
        Result pkaction() {
            return run(
                    List.of("pkaction", "--verbose", "--action-id", AgentLauncher.POLKIT_ACTION),
                    60);
        }

        @Override
        public void close() throws IOException {
            ProcessHandle polkitd = polkitdProcess();
            bus.destroy();
            try {
                if (!bus.waitFor(5, TimeUnit.SECONDS)) {
                    bus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                // polkitd exits when its bus goes away; make sure of it.
                if (polkitd != null
                        && polkitd.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).join()
                                == null) {
                    polkitd.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Path p : created) {
                Files.deleteIfExists(p);
            }
        }

        private ProcessHandle polkitdProcess() {
            Result r =
                    run(
                            List.of(
                                    "dbus-send",
                                    "--system",
                                    "--print-reply=literal",
                                    "--dest=org.freedesktop.DBus",
                                    "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus.GetConnectionUnixProcessID",
                                    "string:org.freedesktop.PolicyKit1"),
                            10);
            if (r.code != 0) {
                return null; // never activated
            }
            String[] words = r.out.split("\\s+");
            return ProcessHandle.of(Long.parseLong(words[words.length - 1])).orElse(null);
        }
    }

    /**
     * gamer-agent copied to its installed path for pkexec's exec-path match, only where nothing of
     * the package is there; removed afterwards unless something replaced it meanwhile.
     */
    static final class InstalledAgent implements AutoCloseable {
        private final List<Path> createdDirs;
        private final Object fileKey;

        private InstalledAgent(List<Path> createdDirs, Object fileKey) {
            this.createdDirs = createdDirs;
            this.fileKey = fileKey;
        }

        static InstalledAgent install() throws IOException {
            Path top = Path.of("/usr/lib/gamer-companion");
            assumeTrue(
                    !Files.exists(top),
                    top
                            + " exists (the installed package?): the test does not put a"
                            + " build of the agent over it, so the pkexec launch is not exercised here");
            Path built = Path.of(System.getProperty("gc.native.dir"), "gamer-agent");
            assertThat(built).as("the built agent").isExecutable();
            List<Path> dirs = new ArrayList<>();
            for (Path d = INSTALLED_AGENT.getParent(); !Files.exists(d); d = d.getParent()) {
                dirs.add(0, d);
            }
            Files.createDirectories(INSTALLED_AGENT.getParent());
            Files.copy(built, INSTALLED_AGENT, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(
                    INSTALLED_AGENT, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new InstalledAgent(
                    dirs.reversed(),
                    Files.readAttributes(INSTALLED_AGENT, BasicFileAttributes.class).fileKey());
        }

        @Override
        public void close() throws IOException {
            if (Files.exists(INSTALLED_AGENT)
                    && Files.readAttributes(INSTALLED_AGENT, BasicFileAttributes.class)
                            .fileKey()
                            .equals(fileKey)) {
                Files.delete(INSTALLED_AGENT);
            }
            for (Path d : createdDirs) {
                try (Stream<Path> s = Files.list(d)) {
                    if (s.findAny().isEmpty()) {
                        Files.delete(d);
                    }
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        if (Files.isRegularFile(src)) {
            Files.copy(src, dst);
            return;
        }
        try (Stream<Path> s = Files.walk(src)) {
            s.forEach(
                    p -> {
                        try {
                            Path t = dst.resolve(src.relativize(p).toString());
                            if (Files.isDirectory(p)) {
                                Files.createDirectories(t);
                            } else {
                                Files.copy(p, t);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
    }

    private static void makeReadableByAll(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(
                        p,
                        PosixFilePermissions.fromString(
                                Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /**
     * Connects as root (this test's uid) and tells whether the agent closed the connection
     * unanswered.
     */
    static boolean rootIsTurnedAway(String name) throws IOException {
        try (SeqPacketSocket s = SeqPacketSocket.connectAbstract(name)) {
            try {
                s.send("HELLO 1");
                s.receive(
                        10_000); // an answer, or none within the bound: either way not turned away
                return false;
            } catch (EOFException e) {
                return true;
            } catch (ErrnoException e) {
                // The agent may close before our send: EPIPE or ECONNRESET.
                return e.errno() == Errno.EPIPE || e.errno() == ECONNRESET;
            }
        }
    }

    /** A process talking line by line ({@link PkexecProbe}): its stdout as a queue of lines. */
    static final class Probe implements AutoCloseable {
        private static final long LINE_TIMEOUT_S = 120;
        private final Process process;
        private final Writer stdin;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer stderr = new StringBuffer();

        private Probe(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofPlatform()
                    .daemon()
                    .start(
                            () ->
                                    pump(
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8)),
                                            true));
            Thread.ofPlatform()
                    .daemon()
                    .start(
                            () ->
                                    pump(
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getErrorStream(),
                                                            StandardCharsets.UTF_8)),
                                            false));
        }

        /**
         * Starts {@code cmd} in {@code home} with HOME and the XDG dirs there, and no PKEXEC_UID.
         */
        static Probe start(List<String> cmd, Path home) throws IOException {
            return start(cmd, home, Map.of());
        }

        static Probe start(List<String> cmd, Path home, Map<String, String> env)
                throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
            pb.environment().remove("PKEXEC_UID");
            pb.environment().put("HOME", home.toString());
            pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            pb.environment().put("XDG_DATA_HOME", home.resolve(".local/share").toString());
            pb.environment().putAll(env);
            return new Probe(pb.start());
        }

        private void pump(BufferedReader r, boolean out) {
            try (r) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (out) {
                        lines.add(l);
                    } else {
                        stderr.append(l).append('\n');
                    }
                }
            } catch (IOException e) {
                // the probe is gone
            }
            if (out) {
                lines.add("<EOF>");
            }
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /** The next stdout line, which must start with one of {@code prefixes}. */
        String expect(String... prefixes) throws InterruptedException {
            String l = lines.poll(LINE_TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(l).as("probe output (stderr:\n" + stderr + ")").isNotNull();
            assertThat(List.of(prefixes).stream().anyMatch(l::startsWith))
                    .as(
                            "probe line '"
                                    + l
                                    + "' starts with one of "
                                    + List.of(prefixes)
                                    + " (stderr:\n"
                                    + stderr
                                    + ")")
                    .isTrue();
            return l;
        }

        String stderr() {
            return stderr.toString();
        }

        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe exited").isTrue();
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
