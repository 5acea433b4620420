package org.gamercompanion.packaging;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * A private Xvfb display for one test: started with {@code -displayfd}, so the display number is
 * known (and the server ready) the moment Xvfb writes it, without sleeping.
 *
 * <pre>{@code
 * try (XServer x = XServer.start()) {
 *     String window = x.awaitVisibleWindow("^Gamer Companion$", Duration.ofSeconds(60));
 *     x.screenshotOnceDrawn(window, out, Duration.ofSeconds(20));
 * }
 * }</pre>
 */
final class XServer implements AutoCloseable {
    private final Process xvfb;
    private final String display;

    private XServer(Process xvfb, String display) {
        this.xvfb = xvfb;
        this.display = display;
    }

    static XServer start() throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                "Xvfb",
                                "-displayfd",
                                "1",
                                "-screen",
                                "0",
                                "1280x800x24",
                                "-nolisten",
                                "tcp")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> number =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return r.readLine();
                            } catch (IOException e) {
                                return null;
                            }
                        });
        try {
            String n = number.get(30, TimeUnit.SECONDS);
            if (n == null || n.isBlank()) {
                throw new IOException("Xvfb exited without a display (exit " + p.waitFor() + ")");
            }
            return new XServer(p, ":" + n.trim());
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("Xvfb did not report a display within 30 s", e);
        }
    }

    /** The environment a client of this display needs. */
    Map<String, String> env() {
        return Map.of("DISPLAY", display);
    }

    /**
     * Waits (xdotool --sync) until a viewable window whose title matches {@code titleRegex} exists;
     * its id.
     */
    String awaitVisibleWindow(String titleRegex, Duration timeout)
            throws IOException, InterruptedException {
        Commands.Result r =
                Commands.run(
                        timeout,
                        env(),
                        "xdotool",
                        "search",
                        "--sync",
                        "--onlyvisible",
                        "--name",
                        titleRegex);
        if (!r.ok() || r.output().isBlank()) {
            throw new AssertionError(
                    "no visible window named " + titleRegex + " on " + display + ": " + r.output());
        }
        return r.output()
                .lines()
                .filter(l -> l.matches("\\d+"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("xdotool printed no window id: " + r.output()));
    }

    /**
     * Takes screenshots of the whole screen into {@code out} until the window's area holds more
     * than one colour (JavaFX maps the window before it paints the first frame), or fails at the
     * deadline.
     */
    void screenshotOnceDrawn(String window, Path out, Duration timeout)
            throws IOException, InterruptedException {
        // Bare Xvfb has no window manager: put the window where the screenshot sees all of it.
        Commands.run(
                Duration.ofSeconds(10), env(), "xdotool", "windowmove", "--sync", window, "0", "0");
        long deadline = System.nanoTime() + timeout.toNanos();
        Files.createDirectories(out.getParent());
        while (true) {
            Commands.Result r =
                    Commands.run(
                            Duration.ofSeconds(20),
                            env(),
                            "import",
                            "-window",
                            "root",
                            out.toString());
            if (r.ok() && colours(ImageIO.read(out.toFile()), 400, 300) > 1) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the window stayed blank (or import failed) for "
                                + timeout
                                + ": "
                                + r.output());
            }
            Thread.sleep(200); // poll interval of the condition above
        }
    }

    /**
     * Distinct colours in the top-left w x h of the screen (where the window was moved), capped at
     * 2.
     */
    private static int colours(BufferedImage image, int w, int h) {
        if (image == null) {
            return 0;
        }
        int first = image.getRGB(0, 0);
        for (int y = 0; y < Math.min(h, image.getHeight()); y++) {
            for (int x = 0; x < Math.min(w, image.getWidth()); x++) {
                if (image.getRGB(x, y) != first) {
                    return 2;
                }
            }
        }
        return 1;
    }

    @Override
    public void close() throws InterruptedException {
        xvfb.destroy();
        if (!xvfb.waitFor(5, TimeUnit.SECONDS)) {
            xvfb.destroyForcibly().waitFor();
        }
    }
}
