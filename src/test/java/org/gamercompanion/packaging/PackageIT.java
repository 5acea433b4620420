package org.gamercompanion.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The .deb of issue 6, point 1, built from this run's jar by {@code installer/package.sh} (once, in
 * {@link #buildPackage}; the result stays in target/package like {@code ./companion package}'s):
 * its file list, modes and owners, its Depends line, the desktop entry, metainfo and polkit action,
 * the packaged app started from an unpacked copy under Xvfb (screenshot in target/package-test/),
 * and, as root on a machine where it is not installed, a real install, a start from the desktop
 * entry's Exec line, and a removal that must leave nothing of it running.
 */
class PackageIT {
    private static final String NAME = "gamer-companion";
    private static final String APP_ID = "org.gamercompanion.GamerCompanion";
    private static final String LIB = "/usr/lib/gamer-companion";
    private static final String COLLECTOR_UNIT = "gamer-companion-collector.service";
    private static final String AGENT_DIR = LIB + "/agent";
    private static final String WINDOW_TITLE = "^Gamer Companion$";
    private static final List<String> ICON_SIZES =
            List.of("16x16", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512");

    private static Path projectRoot;
    private static Path testOut;
    private static Path deb;
    private static Path unpacked;

    /**
     * dpkg-deb -c of the package: path ("./usr/...", directories with a trailing slash) to entry.
     */
    private static Map<String, Entry> entries;

    record Entry(String mode, String owner, String linkTarget) {}

    @BeforeAll
    static void buildPackage() throws Exception {
        assumeTrue(
                Commands.onPath("dpkg-deb"),
                "package tests skipped: no dpkg-deb (not a Debian system)");
        projectRoot = Path.of(System.getProperty("gc.root"));
        Path build = Path.of(System.getProperty("gc.build.dir"));
        testOut = build.resolve("package-test");
        Path out = build.resolve("package");
        deleteTree(testOut);
        Files.createDirectories(testOut);

        long start = System.nanoTime();
        Commands.Result r =
                Commands.run(
                        Duration.ofMinutes(10),
                        Map.of("JAVA_HOME", System.getProperty("java.home")),
                        projectRoot.resolve("installer/package.sh").toString(),
                        "--build-dir",
                        build.toString(),
                        "--native-dir",
                        System.getProperty("gc.native.dir"),
                        "--out",
                        out.toString());
        assertThat(r.ok()).as("installer/package.sh failed:\n%s", r.output()).isTrue();
        System.out.printf(
                "PackageIT: installer/package.sh took %d ms%n%s", millisSince(start), r.output());
        try (Stream<Path> files = Files.list(out)) {
            List<Path> debs = files.filter(p -> p.toString().endsWith(".deb")).toList();
            assertThat(debs).as("the .deb in %s", out).hasSize(1);
            deb = debs.getFirst();
        }

        Commands.Result list =
                Commands.run(Duration.ofMinutes(1), "dpkg-deb", "--contents", deb.toString());
        assertThat(list.ok()).as(list.output()).isTrue();
        entries = new LinkedHashMap<>();
        for (String line : list.output().lines().toList()) {
            String[] f = line.split("\\s+", 6);
            String[] pathAndTarget = f[5].split(" -> ", 2);
            entries.put(
                    pathAndTarget[0],
                    new Entry(f[0], f[1], pathAndTarget.length > 1 ? pathAndTarget[1] : null));
        }

        unpacked = testOut.resolve("root");
        Commands.Result x =
                Commands.run(
                        Duration.ofMinutes(2),
                        "dpkg-deb",
                        "--extract",
                        deb.toString(),
                        unpacked.toString());
        assertThat(x.ok()).as(x.output()).isTrue();
    }

    @Test
    void debHasEveryItemRootOwnedWithItsMode() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("./usr/bin/gamer-companion", "lrwxrwxrwx");
        expected.put("./usr/lib/gamer-companion/bin/gamer-companion", "-rwxr-xr-x");
        expected.put("./usr/lib/gamer-companion/lib/app/gamer-companion.jar", "-rw-r--r--");
        expected.put("./usr/lib/gamer-companion/lib/app/gamer-companion.cfg", "-rw-r--r--");
        expected.put("./usr/lib/gamer-companion/lib/runtime/lib/server/libjvm.so", "-rw-r--r--");
        expected.put("./usr/lib/gamer-companion/agent/", "drwxr-xr-x");
        expected.put("./usr/lib/gamer-companion/agent/gamer-agent", "-rwxr-xr-x");
        expected.put("./usr/lib/gamer-companion/agent/gamer-selftest", "-rwxr-xr-x");
        expected.put("./usr/lib/gamer-companion/agent/probes.bpf.o", "-rw-r--r--");
        expected.put("./usr/lib/gamer-companion/agent/sched.bpf.o", "-rw-r--r--");
        expected.put("./usr/share/applications/" + APP_ID + ".desktop", "-rw-r--r--");
        expected.put("./usr/share/metainfo/" + APP_ID + ".metainfo.xml", "-rw-r--r--");
        expected.put("./usr/share/polkit-1/actions/org.gamercompanion.policy", "-rw-r--r--");
        for (String size : ICON_SIZES) {
            expected.put(
                    "./usr/share/icons/hicolor/" + size + "/apps/" + APP_ID + ".png", "-rw-r--r--");
        }
        expected.put("./usr/share/icons/hicolor/scalable/apps/" + APP_ID + ".svg", "-rw-r--r--");
        // The collector (issue 13): unit, config, its profile folder, the Grafana dashboard, its
        // doc.
        expected.put("./lib/systemd/system/" + COLLECTOR_UNIT, "-rw-r--r--");
        expected.put("./etc/gamer-companion/collector.toml", "-rw-r--r--");
        expected.put("./etc/gamer-companion/profiles/", "drwxr-xr-x");
        expected.put("./usr/share/gamer-companion/grafana/gamer-companion.json", "-rw-r--r--");
        expected.put("./usr/share/doc/gamer-companion/COLLECTOR.md", "-rw-r--r--");

        SoftAssertions soft = new SoftAssertions();
        expected.forEach(
                (path, mode) -> {
                    Entry e = entries.get(path);
                    soft.assertThat(e).as("%s in the .deb", path).isNotNull();
                    if (e != null) {
                        soft.assertThat(e.mode()).as("mode of %s", path).isEqualTo(mode);
                    }
                });
        soft.assertThat(entries.get("./usr/bin/gamer-companion"))
                .as("/usr/bin/gamer-companion")
                .extracting(Entry::linkTarget)
                .isEqualTo("../lib/gamer-companion/bin/gamer-companion");
        // Root-owned and writable by root only: the agent runs as root, so a file under it that
        // a user could change would be a privilege escalation.
        entries.forEach(
                (path, e) -> {
                    soft.assertThat(e.owner()).as("owner of %s", path).isEqualTo("root/root");
                    if (!e.mode().startsWith("l")) {
                        soft.assertThat(e.mode().charAt(5) != 'w' && e.mode().charAt(8) != 'w')
                                .as("%s (%s) writable by group or others", path, e.mode())
                                .isTrue();
                    }
                });
        soft.assertAll();
    }

    @Test
    void controlNamesPackageDependenciesAndPrerm() throws Exception {
        Commands.Result f =
                Commands.run(
                        Duration.ofSeconds(30),
                        "dpkg-deb",
                        "--field",
                        deb.toString(),
                        "Package",
                        "Architecture",
                        "Depends");
        assertThat(f.ok()).as(f.output()).isTrue();
        Map<String, String> fields = new HashMap<>();
        for (String line : f.output().lines().toList()) {
            String[] kv = line.split(": ", 2);
            fields.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        assertThat(fields).containsEntry("Package", NAME).containsEntry("Architecture", "amd64");
        List<String> depends =
                Arrays.stream(fields.get("Depends").split(",")).map(String::trim).toList();
        assertThat(depends)
                .contains(
                        "libgtk-3-0",
                        "libc6",
                        "libelf1",
                        "zlib1g",
                        "pkexec | policykit-1",
                        "polkitd | policykit-1");
        assertThat(depends).anyMatch(d -> d.startsWith("fonts-"));

        // Every package that holds a library the agent links must be a dependency (libbpf is
        // static).
        Path agent = unpacked.resolve(AGENT_DIR.substring(1)).resolve("gamer-agent");
        Commands.Result ldd = Commands.run(Duration.ofSeconds(30), "ldd", agent.toString());
        assertThat(ldd.ok()).as(ldd.output()).isTrue();
        assertThat(ldd.output()).doesNotContain("libbpf");
        for (String line : ldd.output().lines().filter(l -> l.contains("=> /")).toList()) {
            String lib = line.trim().split("\\s+")[2];
            // With merged /usr, dpkg knows a library by the path its package ships, /lib/... or
            // /usr/lib/...
            Commands.Result owner = Commands.run(Duration.ofSeconds(30), "dpkg", "-S", lib);
            if (!owner.ok()) {
                owner =
                        Commands.run(
                                Duration.ofSeconds(30),
                                "dpkg",
                                "-S",
                                Path.of(lib).toRealPath().toString());
            }
            assertThat(owner.ok()).as("no package owns %s: %s", lib, owner.output()).isTrue();
            String pkg = owner.output().split(":", 2)[0];
            assertThat(depends).as("Depends covers %s (for %s)", pkg, lib).contains(pkg);
        }

        Commands.Result prerm =
                Commands.run(Duration.ofSeconds(30), "dpkg-deb", "--info", deb.toString(), "prerm");
        assertThat(prerm.ok()).as("the .deb has a prerm: %s", prerm.output()).isTrue();
        assertThat(prerm.output())
                .contains("remove|deconfigure")
                .contains(LIB)
                .contains("systemctl disable --now " + COLLECTOR_UNIT);
        Commands.Result conffiles =
                Commands.run(
                        Duration.ofSeconds(30), "dpkg-deb", "--info", deb.toString(), "conffiles");
        assertThat(conffiles.output().strip())
                .as("conffiles")
                .isEqualTo("/etc/gamer-companion/collector.toml");
        // The collector is shipped disabled: no maintainer script enables or starts it.
        for (String script : List.of("postinst", "postrm")) {
            Commands.Result r =
                    Commands.run(
                            Duration.ofSeconds(30), "dpkg-deb", "--info", deb.toString(), script);
            assertThat(r.ok()).as("the .deb has a %s: %s", script, r.output()).isTrue();
            String code =
                    r.output()
                            .lines()
                            .filter(l -> !l.strip().startsWith("#"))
                            .collect(Collectors.joining("\n"));
            assertThat(code)
                    .as(script)
                    .contains("daemon-reload")
                    .doesNotContain("systemctl enable")
                    .doesNotContain("systemctl start");
        }
    }

    @Test
    void desktopEntryMetainfoAndPolicyAgreeWithTheFiles() throws Exception {
        Path desktop = unpacked.resolve("usr/share/applications/" + APP_ID + ".desktop");
        Path metainfo = unpacked.resolve("usr/share/metainfo/" + APP_ID + ".metainfo.xml");
        Path policy = unpacked.resolve("usr/share/polkit-1/actions/org.gamercompanion.policy");
        Commands.Result dv =
                Commands.run(Duration.ofSeconds(30), "desktop-file-validate", desktop.toString());
        assertThat(dv.ok()).as("desktop-file-validate: %s", dv.output()).isTrue();
        Commands.Result av =
                Commands.run(
                        Duration.ofSeconds(60),
                        "appstreamcli",
                        "validate",
                        "--no-net",
                        "--no-color",
                        metainfo.toString());
        assertThat(av.ok()).as("appstreamcli validate: %s", av.output()).isTrue();

        Map<String, String> entry = desktopEntry(desktop);
        assertThat(execCommand(entry)).first().isEqualTo(NAME);
        assertThat(entry).containsEntry("Icon", APP_ID).containsEntry("Type", "Application");
        assertThat(entries).containsKey("./usr/bin/" + execCommand(entry).getFirst());

        Document meta = parse(metainfo);
        assertThat(meta.getElementsByTagName("id").item(0).getTextContent()).isEqualTo(APP_ID);
        assertThat(meta.getElementsByTagName("launchable").item(0).getTextContent())
                .isEqualTo(desktop.getFileName().toString());

        // pkexec picks the action whose exec.path is the program it is asked to run: it must be the
        // packaged agent's path, the one NativeBinaries looks in.
        Document pol = parse(policy);
        NodeList actions = pol.getElementsByTagName("action");
        List<String> ids = new ArrayList<>();
        String execPath = null;
        for (int i = 0; i < actions.getLength(); i++) {
            Element action = (Element) actions.item(i);
            ids.add(action.getAttribute("id"));
            NodeList annotations = action.getElementsByTagName("annotate");
            for (int j = 0; j < annotations.getLength(); j++) {
                Element a = (Element) annotations.item(j);
                if (a.getAttribute("key").equals("org.freedesktop.policykit.exec.path")
                        && action.getAttribute("id").equals("org.gamercompanion.agent.start")) {
                    execPath = a.getTextContent().trim();
                }
            }
        }
        assertThat(ids).contains("org.gamercompanion.agent.start");
        assertThat(execPath).isEqualTo(AGENT_DIR + "/gamer-agent");
        assertThat(entries).containsKey("." + execPath);
    }

    /**
     * The AOT cache that installer/package.sh trains is an optimisation only: the launcher names
     * it, and without it (or with an unusable one) the JVM says so on stderr and starts anyway;
     * stdout stays the program's own (the CLI's --json output goes there).
     */
    @Test
    void launcherUsesItsAotCacheAndStartsWithoutIt() throws Exception {
        Path image = unpacked.resolve(LIB.substring(1));
        Path cache = image.resolve("lib/app/" + NAME + ".aot");
        assertThat(cache).isRegularFile();
        assertThat(Files.readString(image.resolve("lib/app/" + NAME + ".cfg")))
                .contains("java-options=-XX:AOTCache=$APPDIR/" + NAME + ".aot");
        Launch with = version(image);
        assertThat(with.exitCode()).as(with.toString()).isZero();
        assertThat(with.stdout()).as(with.toString()).startsWith(NAME + " ");
        assertThat(with.stderr()).as(with.toString()).doesNotContain("AOT cache");

        // A copy of the app image (hard links: nothing is copied) without the cache.
        Path copy = testOut.resolve("no-aot-cache");
        deleteTree(copy);
        Commands.Result cp =
                Commands.run(Duration.ofMinutes(1), "cp", "-al", image.toString(), copy.toString());
        assertThat(cp.ok()).as(cp.output()).isTrue();
        Files.delete(copy.resolve("lib/app/" + NAME + ".aot"));
        Launch without = version(copy);
        assertThat(without.exitCode()).as(without.toString()).isZero();
        assertThat(without.stdout()).as(without.toString()).isEqualTo(with.stdout());
        assertThat(without.stderr()).as(without.toString()).contains("AOT cache");
    }

    record Launch(int exitCode, String stdout, String stderr) {}

    /** {@code bin/gamer-companion --version} of an app image, stdout and stderr apart. */
    private static Launch version(Path image) throws IOException, InterruptedException {
        Path out = testOut.resolve("version.out");
        Path err = testOut.resolve("version.err");
        Process p =
                new ProcessBuilder(image.resolve("bin/" + NAME).toString(), "--version")
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new Launch(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void unpackedPackageShowsTheWindowUnderXvfb() throws Exception {
        assumeXTools();
        Path log = testOut.resolve("unpacked-app.log");
        try (XServer x = XServer.start()) {
            ProcessBuilder pb =
                    new ProcessBuilder(unpacked.resolve("usr/bin/gamer-companion").toString());
            appEnvironment(pb, x);
            // The unpacked copy's own agent, not one installed on this machine.
            pb.environment()
                    .put("GC_NATIVE_DIR", unpacked.resolve(AGENT_DIR.substring(1)).toString());
            long start = System.nanoTime();
            Process app = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String window = awaitWindow(x, app, log);
                System.out.printf(
                        "PackageIT: the unpacked app's window was visible after %d ms%n",
                        millisSince(start));
                x.screenshotOnceDrawn(
                        window, testOut.resolve("package-screenshot.png"), Duration.ofSeconds(30));
            } finally {
                stop(app);
            }
            Path agentDir = unpacked.resolve(AGENT_DIR.substring(1));
            assertThat(awaitNoneRunningFrom(agentDir, Duration.ofSeconds(5)))
                    .as("processes of the unpacked package still running after the app quit")
                    .isEmpty();
        }
    }

    @Test
    void installedPackageStartsFromItsDesktopEntryAndLeavesNothingRunningWhenRemoved()
            throws Exception {
        assumeTrue(
                Commands.run(Duration.ofSeconds(10), "id", "-u").output().trim().equals("0"),
                "install test skipped: installing a .deb needs root");
        Commands.Result status =
                Commands.run(
                        Duration.ofSeconds(30),
                        "dpkg-query",
                        "-W",
                        "-f=${Status} ${Version}",
                        NAME);
        assumeTrue(
                !status.output().contains("installed") || status.output().contains("not-installed"),
                "install test skipped: "
                        + NAME
                        + " is already installed here ("
                        + status.output().trim()
                        + "); the test installs and removes only a copy of its own");
        for (String path :
                List.of(
                        LIB,
                        "/usr/bin/gamer-companion",
                        "/usr/share/polkit-1/actions/org.gamercompanion.policy",
                        "/usr/share/applications/" + APP_ID + ".desktop")) {
            assumeTrue(
                    !Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS),
                    "install test skipped: "
                            + path
                            + " exists but no package owns it (a hand install?); installing over it"
                            + " and purging would delete it");
        }
        assumeXTools();

        Path log = testOut.resolve("installed-app.log");
        Process app = null;
        Process collector = null;
        try (XServer x = XServer.start()) {
            long start = System.nanoTime();
            Commands.Result install = aptInstall();
            assertThat(install.ok()).as("apt-get install %s: %s", deb, install.output()).isTrue();
            System.out.printf("PackageIT: apt-get install took %d ms%n", millisSince(start));
            Path agent = Path.of(AGENT_DIR, "gamer-agent");
            assertThat(Files.getOwner(agent).getName()).isEqualTo("root");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent)))
                    .isEqualTo("rwxr-xr-x");
            Commands.Result which =
                    Commands.run(Duration.ofSeconds(10), "sh", "-c", "command -v gamer-companion");
            assertThat(which.output().trim()).isEqualTo("/usr/bin/gamer-companion");

            ProcessBuilder pb =
                    new ProcessBuilder(
                            execCommand(
                                    desktopEntry(
                                            Path.of(
                                                    "/usr/share/applications",
                                                    APP_ID + ".desktop"))));
            appEnvironment(pb, x);
            pb.environment().remove("GC_NATIVE_DIR");
            start = System.nanoTime();
            app = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            String window = awaitWindow(x, app, log);
            System.out.printf(
                    "PackageIT: the installed app's window was visible after %d ms%n",
                    millisSince(start));
            // As root the app starts the agent from the package's directory by itself: removal must
            // stop it.
            assertThat(awaitRunningFrom(Path.of(AGENT_DIR), Duration.ofSeconds(30)))
                    .as(
                            "the installed app started no gamer-agent from %s (log: %s)",
                            AGENT_DIR, log)
                    .isNotEmpty();
            x.screenshotOnceDrawn(
                    window,
                    testOut.resolve("installed-package-screenshot.png"),
                    Duration.ofSeconds(30));
            collector = startInstalledCollector();

            start = System.nanoTime();
            Commands.Result purge = Commands.run(Duration.ofMinutes(2), "dpkg", "--purge", NAME);
            assertThat(purge.ok()).as("dpkg --purge: %s", purge.output()).isTrue();
            System.out.printf(
                    "PackageIT: dpkg --purge took %d ms%n%s", millisSince(start), purge.output());
            assertThat(app.waitFor(10, TimeUnit.SECONDS))
                    .as("the app still runs after the package was removed")
                    .isTrue();
            assertThat(collector.waitFor(10, TimeUnit.SECONDS))
                    .as("the collector still runs after the package was removed")
                    .isTrue();
            assertThat(Commands.processesRunningFrom(Path.of(LIB)))
                    .as("processes of the removed package")
                    .isEmpty();
            assertThat(Path.of(LIB)).doesNotExist();
            assertThat(Path.of("/usr/bin/gamer-companion")).doesNotExist();
        } finally {
            if (app != null) {
                stop(app);
            }
            if (collector != null) {
                stop(collector);
            }
            Commands.run(Duration.ofMinutes(2), "dpkg", "--purge", NAME);
        }
    }

    /**
     * The installed collector unit: {@code systemd-analyze verify} accepts it, and its ExecStart
     * line (with {@code --listen 127.0.0.1:0} added, so a collector already on 9464 does not
     * matter) serves {@code /healthz}. These machines run no systemd as PID 1, so the line is run
     * directly.
     */
    private static Process startInstalledCollector() throws Exception {
        Path unit = Path.of("/lib/systemd/system", COLLECTOR_UNIT);
        Commands.Result verify =
                Commands.run(Duration.ofMinutes(1), "systemd-analyze", "verify", unit.toString());
        assertThat(verify.ok() && verify.output().isBlank())
                .as("systemd-analyze verify %s: %s", unit, verify.output())
                .isTrue();
        String exec =
                Files.readAllLines(unit).stream()
                        .filter(l -> l.startsWith("ExecStart="))
                        .findFirst()
                        .orElseThrow()
                        .substring("ExecStart=".length());
        List<String> cmd = new ArrayList<>(Arrays.asList(exec.split(" ")));
        assertThat(cmd.subList(0, 2)).containsExactly(LIB + "/bin/gamer-companion", "serve");
        cmd.addAll(List.of("--listen", "127.0.0.1:0"));
        Path log = testOut.resolve("installed-collector.log");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Pattern serving = Pattern.compile("serving (http://\\S+)/metrics");
        while (true) {
            Matcher m = serving.matcher(Files.readString(log));
            if (m.find()) {
                HttpResponse<String> r =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(URI.create(m.group(1) + "/healthz"))
                                                .timeout(Duration.ofSeconds(10))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode())
                        .as("installed collector /healthz: %s", r.body())
                        .isEqualTo(200);
                System.out.printf(
                        "PackageIT: the installed collector unit's ExecStart serves %s%n",
                        m.group(1));
                return p;
            }
            assertThat(p.isAlive())
                    .as("the installed collector exited: %s", Files.readString(log))
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("the installed collector did not serve in 60 s: %s", Files.readString(log))
                    .isLessThan(deadline);
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
    }

    /** apt-get resolves the dependencies (pkexec, ...); a stale package list gets one refresh. */
    private static Commands.Result aptInstall() throws IOException, InterruptedException {
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        String[] install = {
            "apt-get",
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            deb.toAbsolutePath().toString()
        };
        Commands.Result r = Commands.run(Duration.ofMinutes(5), env, install);
        if (r.ok()) {
            return r;
        }
        Commands.run(Duration.ofMinutes(5), env, "apt-get", "update", "-q");
        return Commands.run(Duration.ofMinutes(5), env, install);
    }

    private static void assumeXTools() throws IOException, InterruptedException {
        Path deps = projectRoot.resolve("src/test/ui/x-deps.sh");
        Commands.Result r =
                Commands.run(
                        Duration.ofMinutes(5),
                        "bash",
                        "-c",
                        "source \"$0\" && ensure_x_tools package-test",
                        deps.toString());
        assumeTrue(r.ok(), "package window test skipped: no X tools: " + r.output().trim());
    }

    /**
     * The app's environment: the test display, software rendering (Xvfb has no GL) and private XDG
     * folders, so that settings and profiles it writes stay in the test output.
     */
    private static void appEnvironment(ProcessBuilder pb, XServer x) throws IOException {
        pb.environment().putAll(x.env());
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Dprism.order=sw");
        for (String xdg :
                List.of("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")) {
            Path dir = testOut.resolve("home").resolve(xdg.toLowerCase());
            Files.createDirectories(dir);
            pb.environment().put(xdg, dir.toString());
        }
    }

    private static String awaitWindow(XServer x, Process app, Path log)
            throws IOException, InterruptedException {
        try {
            return x.awaitVisibleWindow(WINDOW_TITLE, Duration.ofSeconds(90));
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage()
                            + "\napp "
                            + (app.isAlive() ? "still running" : "exited " + app.exitValue())
                            + ", log "
                            + log
                            + ":\n"
                            + Files.readString(log),
                    e);
        }
    }

    private static void stop(Process app) throws InterruptedException {
        app.destroy();
        if (!app.waitFor(15, TimeUnit.SECONDS)) {
            app.destroyForcibly().waitFor();
        }
    }

    private static List<Long> awaitRunningFrom(Path dir, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> pids;
        while ((pids = Commands.processesRunningFrom(dir)).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(100); // poll interval of the condition
        }
        return pids;
    }

    private static List<Long> awaitNoneRunningFrom(Path dir, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> pids;
        while (!(pids = Commands.processesRunningFrom(dir)).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(100); // poll interval of the condition
        }
        return pids;
    }

    /** The [Desktop Entry] group's keys (no locale variants). */
    private static Map<String, String> desktopEntry(Path file) throws IOException {
        Map<String, String> keys = new HashMap<>();
        boolean inGroup = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("[")) {
                inGroup = line.equals("[Desktop Entry]");
            } else if (inGroup && line.contains("=") && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                keys.put(kv[0].trim(), kv[1].trim());
            }
        }
        return keys;
    }

    /**
     * The Exec line as a command: field codes (%U, %f, ...) dropped, as a launcher does with no
     * files.
     */
    private static List<String> execCommand(Map<String, String> entry) {
        assertThat(entry).containsKey("Exec");
        return Arrays.stream(entry.get("Exec").split("\\s+"))
                .filter(t -> !t.matches("%[a-zA-Z]"))
                .toList();
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // The polkit file names its DTD by URL: validation is the polkit tests' job, and there is
        // no network.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(xml.toFile());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
