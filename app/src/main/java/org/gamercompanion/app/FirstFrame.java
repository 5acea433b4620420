package org.gamercompanion.app;

import com.sun.javafx.perf.PerformanceTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.Scene;
import org.gamercompanion.files.AtomicFile;

/**
 * The start-up marker for benchmarks ({@code -Dgc.gui.firstFrame=FILE}): when the first frame of
 * the window's scene has been rendered, writes one JSON object to FILE: the wall clock of that
 * moment ({@code epoch_ms}), to be set against the launcher's clock taken just before it started
 * java (src/test/ui/startup-bench.sh). The JVM's own idea of its start ({@code ProcessHandle}'s
 * start instant) is no use here: it rests on the kernel's boot time in whole seconds.
 *
 * <p>"Rendered" is JavaFX's own notion: its renderer thread calls the scene's performance tracker
 * after it has painted and presented a frame of the scene (Prism's {@code ViewPainter}). That hook
 * is internal ({@code com.sun.javafx.perf}, reachable because JavaFX runs from the class path);
 * only this benchmark marker uses it.
 */
final class FirstFrame {
    private FirstFrame() {}

    /** Registers the marker on {@code scene} if {@code gc.gui.firstFrame} names a file. */
    static void watch(Scene scene) {
        String file = System.getProperty("gc.gui.firstFrame");
        if (file == null || file.isBlank()) {
            return;
        }
        Path out = Path.of(file);
        PerformanceTracker tracker = PerformanceTracker.getSceneTracker(scene);
        AtomicBoolean done = new AtomicBoolean();
        tracker.setOnRenderedFrameTask(
                () -> {
                    if (!done.compareAndSet(false, true)) {
                        return;
                    }
                    write(
                            out,
                            String.format(
                                    Locale.US,
                                    "{\"epoch_ms\":%d}%n",
                                    Instant.now().toEpochMilli()));
                });
    }

    private static void write(Path out, String json) {
        try {
            // The project's one atomic writer: a reader never sees half a line, and a target that
            // is not a regular file is refused. The time is taken before: the fsync costs it
            // nothing.
            AtomicFile.write(out, json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println(
                    "gamer-companion: cannot write the first-frame marker to "
                            + out
                            + ": "
                            + e.getMessage());
        }
    }
}
