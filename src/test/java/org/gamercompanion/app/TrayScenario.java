package org.gamercompanion.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gamercompanion.sys.X11;

/**
 * Issue 6's tray scenario on a real X display, in one place for two callers: {@link
 * TrayXvfbRealAgentTest} on the host (no sched_ext: the agent refuses) and the VM test's guest
 * ({@code src/test/vm/tray.sh}, whose kernel has sched_ext: the tray really turns {@code gamer} on
 * and the hotkey turns it off). Xvfb on a free display, the trayer tray host, and {@link
 * TrayHarness} (the app's desktop side with the real agent) in a child JVM driven over its line
 * protocol.
 *
 * <p>Uses only the JDK and main classes, so the guest needs just the app jar, its runtime libraries
 * and this class with {@link TrayHarness}. Failures are {@link AssertionError}s naming the step,
 * with the harness's output; {@link #facts()} holds what had been shown up to then.
 *
 * <pre>{@code
 * try (TrayScenario s = TrayScenario.onFreshDisplay(work, 20, 20)) {
 *     s.startApp(List.of());
 *     s.toggleScheduler();
 *     s.quit();
 * }
 * }</pre>
 *
 * <p>Guest: {@code java -cp APP_JAR:LIB/*:CLASSES org.gamercompanion.app.TrayScenario WORK OUT_JSON
 * START_TIMEOUT_S STEP_TIMEOUT_S [HARNESS_JVM_ARG...]} writes {@link #json()} to OUT_JSON, with
 * {@code reason} set on failure; exit status 0 when the scenario passed.
 */
public final class TrayScenario implements AutoCloseable {
    static final Path SCHED_EXT = Path.of("/sys/kernel/sched_ext");

    private final Path work;
    private final long startTimeoutS;
    private final long stepTimeoutS;
    private final boolean schedExt = Files.isDirectory(SCHED_EXT);
    private final List<Process> started = new ArrayList<>();
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private String display;
    private Process xServer;
    private Process app;
    private PrintWriter harnessIn;
    private Thread harnessOut;

    private TrayScenario(Path work, long startTimeoutS, long stepTimeoutS) {
        this.work = work;
        this.startTimeoutS = startTimeoutS;
        this.stepTimeoutS = stepTimeoutS;
        facts.put("sched_ext", schedExt);
    }

    /**
     * Xvfb on a free display with trayer's panel up, and a configuration directory with the hotkeys
     * enabled ({@link #configDir()}: add profiles before {@link #startApp}).
     *
     * @param startTimeoutS how long the harness JVM may take to report the agent running (its start
     *     dominates: 15-60 s under TCG)
     * @param stepTimeoutS how long any other step may take
     */
    public static TrayScenario onFreshDisplay(Path work, long startTimeoutS, long stepTimeoutS)
            throws Exception {
        TrayScenario s = new TrayScenario(work, startTimeoutS, stepTimeoutS);
        try {
            s.startXvfb();
            // The app asks the X server for a tray host before it loads AWT (DesktopTray): on a
            // bare
            // display that must say no, and yes once trayer owns the tray selection.
            if (X11.trayHostPresent(s.display)) {
                throw new AssertionError(
                        "a tray host on the fresh display " + s.display + " before trayer started");
            }
            Process trayer =
                    s.start(
                            List.of(
                                    "trayer",
                                    "--edge",
                                    "top",
                                    "--align",
                                    "right",
                                    "--widthtype",
                                    "pixel",
                                    "--width",
                                    "120",
                                    "--height",
                                    "24"),
                            work.resolve("trayer.log"));
            s.await(
                    "trayer's panel on " + s.display,
                    () -> s.tree().contains("(\"panel\" \"trayer\")"),
                    trayer,
                    stepTimeoutS);
            s.await(
                    "trayer owning _NET_SYSTEM_TRAY_S0",
                    () -> X11.trayHostPresent(s.display),
                    trayer,
                    stepTimeoutS);
            Files.createDirectories(s.configDir().resolve("gamer-companion"));
            Files.writeString(
                    s.configDir().resolve("gamer-companion/settings.toml"),
                    "[hotkey]\nenabled = true\n");
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    /** XDG_CONFIG_HOME of the app. */
    public Path configDir() {
        return work.resolve("config");
    }

    /** XDG_STATE_HOME of the app (sessions are written under it). */
    public Path stateDir() {
        return work.resolve("state");
    }

    /** What the scenario has shown so far (keys as in {@link #json()}). */
    public Map<String, Object> facts() {
        return facts;
    }

    /**
     * Starts {@link TrayHarness} with this JVM's class path and {@code jvmArgs} added to its
     * options.
     */
    public void startApp(List<String> jvmArgs) throws IOException {
        ProcessBuilder pb = appProcess(jvmArgs, TrayHarness.class.getName(), List.of());
        pb.redirectError(work.resolve("app.log").toFile());
        app = pb.start();
        started.add(app);
        harnessIn =
                new PrintWriter(
                        new OutputStreamWriter(app.getOutputStream(), StandardCharsets.UTF_8),
                        true);
        Process p = app;
        harnessOut =
                Thread.ofPlatform()
                        .daemon()
                        .name("harness-out")
                        .start(
                                () -> {
                                    try (BufferedReader r =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            p.getInputStream(),
                                                            StandardCharsets.UTF_8))) {
                                        for (String line; (line = r.readLine()) != null; ) {
                                            out.add(line);
                                        }
                                    } catch (IOException e) {
                                        out.add("READ FAILED " + e);
                                    }
                                });
    }

    /**
     * Starts the real app ({@code org.gamercompanion.Main}, as {@code gamer-companion} runs it)
     * with this JVM's class path, {@code jvmArgs} and {@code args}, in {@link #work} (where a JVM
     * without {@code -XX:ErrorFile} writes its crash log); stdout and stderr go to {@code app.log}
     * ({@link #logs()}). The line-based commands of this class (menu, click, ...) need {@link
     * #startApp}.
     */
    public Process startRealApp(List<String> jvmArgs, List<String> args) throws IOException {
        ProcessBuilder pb =
                appProcess(jvmArgs, "org.gamercompanion.Main", args)
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("app.log").toFile());
        app = pb.start();
        started.add(app);
        return app;
    }

    private ProcessBuilder appProcess(List<String> jvmArgs, String main, List<String> args)
            throws IOException {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-Dprism.order=sw",
                                "-Dgc.native.dir=" + System.getProperty("gc.native.dir")));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", cp, main));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DISPLAY", display);
        env.remove("WAYLAND_DISPLAY");
        env.put("XDG_CONFIG_HOME", configDir().toString());
        env.put("XDG_STATE_HOME", stateDir().toString());
        // JNativeHook's library is unpacked under the cache (GlobalHotkeys): the test's own, not
        // the user's.
        env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(work.resolve("run")).toString());
        return pb;
    }

    /**
     * Ends the X server (SIGTERM: Xvfb closes every client's connection and exits, as a session's
     * server does at logout) and waits for it to be gone.
     */
    public void killXServer() throws InterruptedException {
        xServer.destroy();
        check(
                xServer.waitFor(stepTimeoutS, TimeUnit.SECONDS),
                "Xvfb " + display + " did not exit within " + stepTimeoutS + " s of SIGTERM");
    }

    /**
     * The agent up, the icon embedded in trayer with the full menu, then the scheduler toggled by
     * the menu item and again by the hotkey (ctrl+shift+F10). With sched_ext: the item turns {@code
     * gamer} on (the agent's answer, the item's label and the kernel's sysfs agree) and the hotkey
     * turns it off again; without: both get the agent's refusal and the item says why.
     */
    public void toggleScheduler() throws Exception {
        long t0 = System.nanoTime();
        await(
                "the agent running",
                () -> has(l -> l.equals("AGENT RUNNING"), 0),
                app,
                startTimeoutS);
        facts.put("agent_running_after_s", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        awaitLine("the agent's first scheduler state", l -> l.startsWith("SCHED "));
        // The icon is really in the tray host: trayer's panel holds AWT's embedded frame ...
        await("our icon embedded in trayer", () -> embeddedInPanel(tree()), app, stepTimeoutS);
        facts.put("tray_icon_embedded", true);
        // ... AWT knows it as a tray icon, and a right click on it opens our menu.
        Map<String, String> menu = menu();
        for (String id :
                List.of("scheduler", "profile", "profiles", "window", "autostart", "quit")) {
            check(menu.containsKey(id), "the tray menu has no item " + id + ": " + menu);
        }
        check(
                menu.get("scheduler").endsWith("|true"),
                "the scheduler item is disabled: " + menu.get("scheduler"));
        facts.put("tray_menu_listed", true);
        // The menu wears the window's dark theme (AWT's own was grey), and the icon's tooltip is
        // off while it is open (it covered the first item).
        String background = lastListing("MENU shown ").substring("MENU shown ".length());
        facts.put("tray_menu_background", background);
        check(
                background.matches("#[0-9a-f]{6}") && luminance(background) < 0.25,
                "the tray menu is not dark: background " + background);
        await(
                "the icon's tooltip off while the menu is open",
                () -> listing().contains("TOOLTIP null"),
                app,
                stepTimeoutS);
        facts.put("tray_tooltip_off_while_open", true);

        click("scheduler");
        if (schedExt) {
            awaitLine("the agent's answer (enabled)", l -> l.startsWith("SCHED ENABLED 1"));
            await(
                    "the item showing gamer on",
                    () -> menu().get("scheduler").equals("Turn scheduler off (on: gamer)|true"),
                    app,
                    stepTimeoutS);
            // The kernel agrees, not only the agent: sched_ext runs our ops.
            await(
                    "sched_ext enabled with gamer",
                    () -> sysfs().equals("enabled gamer"),
                    app,
                    stepTimeoutS);
            facts.put("sched_after_menu", sysfs());
            facts.put("menu_toggle_enabled", true);
        } else {
            awaitLine(
                    "the agent's refusal", l -> l.startsWith("SCHED ABSENT 1 sched_ext is absent"));
            awaitLine(
                    "the refusal's message", l -> l.startsWith("MSG This kernel has no sched_ext"));
            await(
                    "the item showing the refusal",
                    () ->
                            menu().get("scheduler")
                                    .equals("Scheduler unavailable: sched_ext is absent|false"),
                    app,
                    stepTimeoutS);
            facts.put("menu_toggle_refused", true);
        }

        // The hotkey takes the same path to the agent: one more answer.
        xdotool("key", "ctrl+shift+F10");
        if (schedExt) {
            awaitLine(
                    "the agent's answer to the hotkey (disabled)",
                    l -> l.startsWith("SCHED DISABLED 2"));
            await("sched_ext disabled", () -> sysfs().equals("disabled"), app, stepTimeoutS);
            facts.put("sched_after_hotkey", sysfs());
            facts.put("hotkey_toggle_disabled", true);
        } else {
            awaitLine(
                    "the agent's refusal of the hotkey",
                    l -> l.startsWith("SCHED ABSENT 2 sched_ext is absent"));
            facts.put("hotkey_toggle_refused", true);
        }
    }

    /** Quit from the tray menu: the app says so and exits. */
    public void quit() throws Exception {
        click("quit");
        awaitLine("quit", l -> l.equals("QUIT"));
        check(
                app.waitFor(stepTimeoutS, TimeUnit.SECONDS),
                "the app did not exit within " + stepTimeoutS + " s of Quit");
        facts.put("quit", true);
    }

    /**
     * Chooses the tray menu item {@code id} as the player does: a right click on the icon opens the
     * menu (if it is not open), a left click on the item chooses it; an item of the profiles
     * submenu is reached through a click on the submenu first. A check box flips.
     */
    public void click(String id) throws Exception {
        menu();
        if (id.startsWith("profile:")) {
            clickItem("profiles", false);
        }
        clickItem(id, true);
    }

    private void clickItem(String id, boolean chosen) throws Exception {
        String[] at = new String[1];
        await(
                "the tray item " + id + " on screen",
                () -> {
                    at[0] =
                            ask(
                                    "where " + id,
                                    l ->
                                            l.startsWith("AT ")
                                                    || l.equals("NOITEM " + id)
                                                    || l.equals("DISABLED " + id));
                    return !at[0].startsWith("NOITEM ");
                },
                app,
                stepTimeoutS);
        check(at[0].startsWith("AT "), "the tray item " + id + " is disabled: " + menu());
        String[] xy = at[0].split(" ");
        int from = out.size();
        xdotool("mousemove", xy[1], xy[2], "click", "1");
        if (chosen) {
            await(
                    "the click on " + id,
                    () -> has(l -> l.equals("CLICKED " + id), from),
                    app,
                    stepTimeoutS);
        }
    }

    /**
     * Sends {@code command} to the harness and returns its first answer matching {@code answer}.
     */
    private String ask(String command, Predicate<String> answer) throws Exception {
        int from = out.size();
        harnessIn.println(command);
        await("the answer to " + command, () -> has(answer, from), app, stepTimeoutS);
        return since(from).stream().filter(answer).findFirst().orElseThrow();
    }

    /**
     * Opens the app's settings dialog (on the display, over the window), sets the check box {@code
     * id} and presses OK. The app then saves on its I/O thread: wait for the file.
     */
    public void setting(String id, boolean selected) throws Exception {
        int from = out.size();
        harnessIn.println("settings " + id + "=" + selected);
        await(
                "the settings dialog",
                () -> has(l -> l.startsWith("SETTINGS "), from),
                app,
                stepTimeoutS);
        check(
                has(l -> l.equals("SETTINGS OK"), from),
                "settings " + id + "=" + selected + ": " + since(from));
    }

    /**
     * The X ids of the mapped windows titled exactly {@value GamerCompanionApp#TITLE} (xdotool).
     */
    public List<String> visibleWindows() throws Exception {
        return capture(
                        List.of(
                                "xdotool",
                                "search",
                                "--onlyvisible",
                                "--name",
                                "^" + GamerCompanionApp.TITLE + "$"))
                .lines()
                .map(String::strip)
                .filter(l -> l.matches("\\d+"))
                .toList();
    }

    /**
     * Waits until the window is mapped ({@code shown}) or no longer is, as the X server sees it.
     */
    public void awaitWindow(boolean shown) throws Exception {
        await(
                shown ? "the window mapped" : "the window unmapped",
                () -> visibleWindows().isEmpty() != shown,
                app,
                stepTimeoutS);
    }

    /** Whether trayer's panel holds our icon (AWT's embedded frame) right now. */
    public boolean iconEmbedded() throws Exception {
        return embeddedInPanel(tree());
    }

    /** Whether the harness has printed a line matching {@code line} so far. */
    public boolean printed(Predicate<String> line) {
        return has(line, 0);
    }

    /** Whether the app's process still runs. */
    public boolean appRunning() {
        return app.isAlive();
    }

    /**
     * Asks the window to close the way a window manager's close button does: a WM_DELETE_WINDOW
     * client message (ICCCM 4.2.8.1) sent to the window's client. Xvfb runs no window manager to do
     * it, and {@code xdotool windowclose} destroys the window instead of asking.
     */
    public void closeWindow() throws Exception {
        List<String> ids = visibleWindows();
        check(
                ids.size() == 1,
                "expected one mapped window titled " + GamerCompanionApp.TITLE + ": " + ids);
        sendDeleteWindow(display, Long.parseLong(ids.get(0)));
    }

    /**
     * Waits for the app to quit by itself (not through the tray's Quit): it says QUIT and exits.
     */
    public void awaitQuit(String why) throws Exception {
        check(
                app.waitFor(stepTimeoutS, TimeUnit.SECONDS),
                "the app did not exit within " + stepTimeoutS + " s of " + why + logs());
        harnessOut.join(
                TimeUnit.SECONDS.toMillis(stepTimeoutS)); // everything it printed has been read
        check(
                has(l -> l.equals("QUIT"), 0),
                "the app exited after " + why + " without quitting" + logs());
    }

    /**
     * The menu as the harness lists it, opened first by a right click on our icon if it is not on
     * screen: id -> "label|enabled" (check boxes: "label|enabled|checked=b").
     */
    public Map<String, String> menu() throws Exception {
        List<String> lines = listing();
        if (lines.contains("MENU hidden")) {
            openMenu();
            await(
                    "the menu on screen after a right click on the icon",
                    () -> listing().stream().anyMatch(l -> l.startsWith("MENU shown ")),
                    app,
                    stepTimeoutS);
            lines = lastListing;
        }
        Map<String, String> items = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("ITEM ")) {
                String[] f = l.substring(5).split("\\|", 2);
                items.put(f[0], f[1]);
            }
        }
        return items;
    }

    /** A right click on our icon in trayer's panel (which opens the menu, or closes it). */
    public void openMenu() throws Exception {
        String tree = tree();
        int[] centre = iconCentre(tree);
        check(centre != null, "no icon of ours in trayer's panel to click:\n" + tree);
        // A desktop keeps its panel above windows (a dock); Xvfb has no window manager to do it,
        // and the app's window, once shown, covers trayer's panel.
        tree.lines()
                .filter(l -> l.contains("(\"panel\" \"trayer\")"))
                .map(l -> l.strip().split("\\s+")[0])
                .findFirst()
                .ifPresent(
                        panel -> {
                            try {
                                xdotool("windowraise", panel);
                            } catch (Exception e) {
                                throw new AssertionError("raising trayer's panel", e);
                            }
                        });
        xdotool("mousemove", "" + centre[0], "" + centre[1], "click", "3");
    }

    private List<String> lastListing = List.of();

    /** The harness's {@code menu} answer, ICONS to END; one tray icon or a failed check. */
    private List<String> listing() throws Exception {
        int from = out.size();
        harnessIn.println("menu");
        await("the menu listing", () -> has(l -> l.equals("END"), from), app, stepTimeoutS);
        List<String> lines = since(from);
        check(lines.contains("ICONS 1"), "the harness lists no tray icon: " + lines);
        lastListing = lines;
        return lines;
    }

    private String lastListing(String prefix) {
        return lastListing.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    /** Relative luminance (sRGB, 0 black .. 1 white) of #rrggbb. */
    static double luminance(String hex) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            c[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /** Waits until the harness has printed a line matching {@code line}. */
    public void awaitLine(String what, Predicate<String> line) throws Exception {
        await(what, () -> has(line, 0), app, stepTimeoutS);
    }

    /**
     * Waits for {@code check} while the process {@code alive} runs (bounded by the step timeout).
     */
    public void await(String what, Check check, Process alive) throws Exception {
        await(what, check, alive, stepTimeoutS);
    }

    /** Waits for {@code check} while the app runs. */
    public void await(String what, Check check) throws Exception {
        await(what, check, app, stepTimeoutS);
    }

    /** Sends X input (or anything else xdotool does) to the display. */
    public void xdotool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("xdotool"));
        cmd.addAll(List.of(args));
        check(run(cmd).exitValue() == 0, String.join(" ", cmd) + " failed");
    }

    /** Starts {@code cmd} on the display, output to {@code log}; {@link #close} ends it. */
    public Process start(List<String> cmd, Path log) throws IOException {
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (display != null) {
            pb.environment().put("DISPLAY", display);
        }
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** The kernel's view: "state" or "state ops" from /sys/kernel/sched_ext. */
    static String sysfs() throws IOException {
        String state = Files.readString(SCHED_EXT.resolve("state")).strip();
        try {
            return (state + " " + Files.readString(SCHED_EXT.resolve("root/ops")).strip()).strip();
        } catch (NoSuchFileException e) {
            return state; // root/ exists only while a scheduler is attached
        }
    }

    /** Ends what was started, newest first (the agent dies with the harness: PR_SET_PDEATHSIG). */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
    }

    /** {@link #facts()} and {@code reason} (null when passed) as one JSON object. */
    public String json(String reason) {
        StringBuilder sb = new StringBuilder("{");
        Map<String, Object> all = new LinkedHashMap<>(facts);
        all.put("reason", reason);
        all.forEach(
                (k, v) ->
                        sb.append(sb.length() > 1 ? ", " : "")
                                .append(quote(k))
                                .append(": ")
                                .append(
                                        v == null || v instanceof Boolean || v instanceof Number
                                                ? String.valueOf(v)
                                                : quote(v.toString())));
        return sb.append("}\n").toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"', '\\' -> sb.append('\\').append(c);
                case '\n' -> sb.append("\\n");
                default ->
                        sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    /** Condition for {@link #await}. */
    public interface Check {
        boolean holds() throws Exception;
    }

    /** An xwininfo tree line's geometry: WxH+x+y relative, then +X+Y absolute. */
    private static final Pattern GEOMETRY =
            Pattern.compile("(\\d+)x(\\d+)[+-]-?\\d+[+-]-?\\d+\\s+\\+(-?\\d+)\\+(-?\\d+)");

    /**
     * The screen centre of AWT's embedded frame (our icon) inside trayer's panel, from {@code
     * xwininfo -root -tree} ({@code 0x600007 "JavaEmbeddedFrame": ("java-lang-Thread" ...)
     * 24x22+0+0 +1255+1}), or null.
     */
    static int[] iconCentre(String tree) {
        for (String line : tree.split("\n")) {
            if (line.contains("\"JavaEmbeddedFrame\"")) {
                Matcher m = GEOMETRY.matcher(line);
                if (m.find()) {
                    return new int[] {
                        Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(1)) / 2,
                        Integer.parseInt(m.group(4)) + Integer.parseInt(m.group(2)) / 2
                    };
                }
            }
        }
        return null;
    }

    /** True when trayer's panel window has AWT's embedded frame among its descendants. */
    static boolean embeddedInPanel(String tree) {
        String[] lines = tree.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("(\"panel\" \"trayer\")")) {
                int indent = indent(lines[i]);
                for (int j = i + 1; j < lines.length && indent(lines[j]) > indent; j++) {
                    if (lines[j].contains("\"JavaEmbeddedFrame\"")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private void startXvfb() throws Exception {
        for (int n = 90 + (int) (ProcessHandle.current().pid() % 20); n < 140; n++) {
            if (Files.exists(Path.of("/tmp/.X11-unix/X" + n))
                    || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                continue;
            }
            display = ":" + n;
            Process x =
                    start(
                            List.of(
                                    "Xvfb",
                                    display,
                                    "-screen",
                                    "0",
                                    "1280x800x24",
                                    "-nolisten",
                                    "tcp"),
                            work.resolve("xvfb-" + n + ".log"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(stepTimeoutS);
            while (x.isAlive() && System.nanoTime() < deadline) {
                if (run(List.of("xwininfo", "-root")).exitValue() == 0) {
                    xServer = x;
                    return;
                }
                Thread.sleep(50);
            }
            x.destroyForcibly(); // another server took the display first: try the next one
        }
        throw new AssertionError("no free X display in :90..:139 (Xvfb logs in " + work + ")");
    }

    private boolean has(Predicate<String> line, int from) {
        return since(from).stream().anyMatch(line);
    }

    /**
     * The lines printed from index {@code from} on, as a copy: a view of the live list throws
     * ConcurrentModificationException when the reader thread adds a line meanwhile.
     */
    private List<String> since(int from) {
        List<String> now = List.copyOf(out);
        return now.subList(Math.min(from, now.size()), now.size());
    }

    private String tree() throws IOException, InterruptedException {
        return capture(List.of("xwininfo", "-root", "-tree"));
    }

    /** Runs {@code cmd} on the display; its output (whatever its exit status). */
    private String capture(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        p.getOutputStream().close();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return s;
    }

    private Process run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        if (!p.waitFor(stepTimeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish in " + stepTimeoutS + " s");
        }
        return p;
    }

    /** Waits for {@code check}, failing at once (with the logs) if {@code alive} died. */
    private void await(String what, Check check, Process alive, long timeoutS) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!check.holds()) {
            if (!alive.isAlive()) {
                throw new AssertionError(
                        "waiting for "
                                + what
                                + ": the process exited ("
                                + alive.exitValue()
                                + ")"
                                + logs());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeoutS + " s waiting for " + what + logs());
            }
            Thread.sleep(20);
        }
    }

    /**
     * XSendEvent of a WM_PROTOCOLS/WM_DELETE_WINDOW ClientMessage through libX11 (FFM: JDK only,
     * like the rest).
     */
    private static void sendDeleteWindow(String display, long window) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup x11 = SymbolLookup.libraryLookup("libX11.so.6", arena);
            Linker linker = Linker.nativeLinker();
            MethodHandle open =
                    linker.downcallHandle(
                            x11.findOrThrow("XOpenDisplay"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MethodHandle atom =
                    linker.downcallHandle(
                            x11.findOrThrow("XInternAtom"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_LONG,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.JAVA_INT));
            MethodHandle send =
                    linker.downcallHandle(
                            x11.findOrThrow("XSendEvent"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.JAVA_LONG,
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_LONG,
                                    ValueLayout.ADDRESS));
            MethodHandle flush =
                    linker.downcallHandle(
                            x11.findOrThrow("XFlush"),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle close =
                    linker.downcallHandle(
                            x11.findOrThrow("XCloseDisplay"),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment d = (MemorySegment) open.invokeExact(arena.allocateFrom(display));
            check(!d.equals(MemorySegment.NULL), "XOpenDisplay(" + display + ") failed");
            try {
                long protocols = (long) atom.invokeExact(d, arena.allocateFrom("WM_PROTOCOLS"), 0);
                long delete = (long) atom.invokeExact(d, arena.allocateFrom("WM_DELETE_WINDOW"), 0);
                // XClientMessageEvent as laid out on LP64, inside the 192-byte XEvent union.
                MemorySegment ev = arena.allocate(192, 8);
                ev.set(ValueLayout.JAVA_INT, 0, 33); // type = ClientMessage
                ev.set(ValueLayout.JAVA_LONG, 32, window);
                ev.set(ValueLayout.JAVA_LONG, 40, protocols); // message_type
                ev.set(ValueLayout.JAVA_INT, 48, 32); // format: data.l
                ev.set(ValueLayout.JAVA_LONG, 56, delete); // data.l[0]; data.l[1] = CurrentTime (0)
                // Event mask 0: delivered to the client that created the window, as ICCCM asks.
                check(
                        (int) send.invokeExact(d, window, 0, 0L, ev) != 0,
                        "XSendEvent(WM_DELETE_WINDOW) failed");
                int unused = (int) flush.invokeExact(d);
            } finally {
                int unused = (int) close.invokeExact(d);
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("sending WM_DELETE_WINDOW to window " + window + ": " + e, e);
        }
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }

    /** The harness's stdout and stderr, for failure messages. */
    public String logs() throws IOException {
        Path err = work.resolve("app.log");
        return "\napp stdout:\n  "
                + String.join("\n  ", out)
                + "\napp stderr:\n"
                + (Files.exists(err) ? Files.readString(err) : "(none)");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println(
                    "usage: TrayScenario WORK OUT_JSON START_TIMEOUT_S STEP_TIMEOUT_S [HARNESS_JVM_ARG...]");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(args[0]));
        Path json = Path.of(args[1]);
        long t0 = System.nanoTime();
        String reason = null;
        TrayScenario s = null;
        try {
            s = onFreshDisplay(work, Long.parseLong(args[2]), Long.parseLong(args[3]));
            s.startApp(List.of(args).subList(4, args.length));
            s.toggleScheduler();
            s.quit();
        } catch (Exception | AssertionError e) {
            // The JSON gets the step that failed; the harness's output goes to stderr (the caller's
            // log).
            reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            e.printStackTrace();
        } finally {
            if (s != null) {
                s.close();
            }
        }
        TrayScenario facts = s != null ? s : new TrayScenario(work, 0, 0);
        if (facts.schedExt) {
            // The harness's agent is gone (quit, or killed by close()): the kernel must have
            // dropped
            // gamer with it, since nothing after this phase may run under a leftover scheduler.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!sysfs().equals("disabled") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            facts.facts.put("sched_after_exit", sysfs());
            if (reason == null && !sysfs().equals("disabled")) {
                reason = "sched_ext still '" + sysfs() + "' after the app exited";
            }
        }
        facts.facts.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        Path tmp = json.resolveSibling(json.getFileName() + ".tmp");
        Files.writeString(tmp, facts.json(reason));
        Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING);
        System.out.print(facts.json(reason));
        System.exit(reason == null ? 0 : 1);
    }
}
