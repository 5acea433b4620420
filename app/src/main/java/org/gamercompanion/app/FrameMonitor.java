package org.gamercompanion.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.scene.Scene;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.gamercompanion.dashboard.DashboardModel;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.snapshot.Snapshot;
import org.gamercompanion.view.DrawStats;

/**
 * Frame timing for the GUI benchmark: counts pulses, pulses that came more than two frame periods
 * after the previous one ("late"), and of those the ones where our canvas drawing in the frame
 * before took longer than a frame period (late because of our work). Writes one JSON object to a
 * file every 5 s and at exit.
 *
 * <p>Running it keeps the pulse going at the display rate, so benchmark CPU figures measured with
 * it are an upper bound.
 *
 * <p><b>Event to pixel.</b> Every snapshot carries the kernel time stamp of the newest sample
 * folded into it ({@link org.gamercompanion.snapshot.Snapshot#newestEventNs}: {@code
 * bpf_ktime_get_ns()} at the {@code sched_switch} that ended the sample, which is {@code
 * CLOCK_MONOTONIC}). When the view applies a snapshot with a newer sample than the screen shows,
 * the next pulse draws it: at the end of that pulse's FX part (the scene's post-layout listener,
 * after the charts' canvases took their drawing commands, before the scene is synced to the
 * renderer) the time stamp is handed to the render thread, and when that frame has been rendered
 * (JavaFX's {@code PerformanceTracker} frame-rendered hook, on the renderer's thread) {@code
 * System.nanoTime()} minus the time stamp goes into a histogram. {@code System.nanoTime()} is
 * {@code clock_gettime(CLOCK_MONOTONIC)} on Linux (HotSpot's {@code os::javaTimeNanos}; checked on
 * this machine: the two agree to the call's own duration, while {@code CLOCK_MONOTONIC_RAW} is 250
 * ms off), the kernel's clock for {@code bpf_ktime_get_ns()}: the difference is a real delay. Where
 * the hook is not reachable (JavaFX on the module path), the end of the FX part is used instead and
 * {@code event_to_pixel_end} says so. Samples before {@code warmupNs} are not counted.
 */
final class FrameMonitor extends AnimationTimer {
    private static final long FRAME_NS = 1_000_000_000L / 60;
    private static final long WRITE_EVERY_NS = 5_000_000_000L;

    private final Path out;
    private final DashboardModel model;
    private final long warmupNs;

    /** Event to pixel, ns; one writer: the render thread (or the FX thread without the hook). */
    private final SingleWriterRecorder eventToPixel =
            new SingleWriterRecorder(1, 60_000_000_000L, 3);

    /** FX thread: what {@link #write} reports, the recorder's intervals added up. */
    private final Histogram eventToPixelTotal = new Histogram(1, 60_000_000_000L, 3);

    private final String eventToPixelEnd;
    private final long startNs = System.nanoTime();

    /** FX thread: the newest sample of the snapshot applied since the last pulse (0: none). */
    private long appliedNs;

    /** FX thread: the newest sample already handed to a frame. */
    private long shownNs;

    /** FX thread (pulse) to render thread (frame rendered): the newest sample in that frame. */
    private final AtomicLong inFrameNs = new AtomicLong();

    private long first;
    private long last;
    private long lastDrawNs;
    private long lastWrite;
    private long pulses;
    private long late;
    private long lateOurs;
    private long maxGapNs;

    FrameMonitor(Path out, DashboardModel model, Scene scene, long warmupNs) {
        this.out = out;
        this.model = model;
        this.warmupNs = warmupNs;
        model.snapshotProperty()
                .addListener(
                        (o, was, is) -> {
                            if (is != null && is.newestEventNs() > shownNs) {
                                appliedNs = is.newestEventNs();
                            }
                        });
        scene.addPostLayoutPulseListener(this::pulseDrawn);
        String end;
        try {
            com.sun.javafx.perf.PerformanceTracker.getSceneTracker(scene)
                    .setOnRenderedFrameTask(this::frameRendered);
            end = "frame rendered";
        } catch (RuntimeException | LinkageError e) {
            end = "fx pulse synced (" + e + ")";
        }
        eventToPixelEnd = end;
    }

    /** FX thread, end of the pulse's FX part: the charts now hold the applied snapshot. */
    private void pulseDrawn() {
        if (appliedNs == 0) {
            return;
        }
        shownNs = appliedNs;
        appliedNs = 0;
        if (eventToPixelEnd.startsWith("frame")) {
            inFrameNs.set(shownNs);
        } else {
            recordEventToPixel(shownNs);
        }
    }

    /** Render thread, after a frame was rendered. */
    private void frameRendered() {
        long eventNs = inFrameNs.getAndSet(0);
        if (eventNs != 0) {
            recordEventToPixel(eventNs);
        }
    }

    private void recordEventToPixel(long eventNs) {
        long now = System.nanoTime();
        if (now - startNs >= warmupNs) {
            eventToPixel.recordValue(Math.max(1, Math.min(now - eventNs, 60_000_000_000L)));
        }
    }

    @Override
    public void handle(long now) {
        long drawNs = DrawStats.totalNs();
        if (last != 0) {
            long gap = now - last;
            maxGapNs = Math.max(maxGapNs, gap);
            if (gap > 2 * FRAME_NS) {
                late++;
                if (drawNs - lastDrawNs > FRAME_NS) {
                    lateOurs++;
                }
            }
        } else {
            first = now;
            lastWrite = now;
        }
        pulses++;
        last = now;
        lastDrawNs = drawNs;
        if (now - lastWrite >= WRITE_EVERY_NS) {
            lastWrite = now;
            write();
        }
    }

    void write() {
        double seconds = (last - first) / 1e9;
        Snapshot snapshot = model.snapshotProperty().get();
        eventToPixelTotal.add(eventToPixel.getIntervalHistogram());
        Histogram e2p = eventToPixelTotal;
        String json =
                String.format(
                        Locale.US,
                        "{\"seconds\":%.1f,\"pulses\":%d,\"late_pulses\":%d,\"late_pulses_our_work\":%d,\"max_gap_ms\":%.1f,"
                                + "\"draws\":%d,\"draw_total_ms\":%.1f,\"draw_max_ms\":%.2f,\"snapshots_applied\":%d,"
                                + "\"events_consumed\":%d,\"events_lost\":%d,"
                                + "\"event_to_pixel_end\":\"%s\",\"event_to_pixel_frames\":%d,\"event_to_pixel_p50_ms\":%.2f,"
                                + "\"event_to_pixel_p90_ms\":%.2f,\"event_to_pixel_p99_ms\":%.2f,\"event_to_pixel_max_ms\":%.2f}%n",
                        seconds,
                        pulses,
                        late,
                        lateOurs,
                        maxGapNs / 1e6,
                        DrawStats.draws(),
                        DrawStats.totalNs() / 1e6,
                        DrawStats.maxNs() / 1e6,
                        model.snapshotsAppliedProperty().get(),
                        snapshot == null ? 0 : snapshot.consumedTotal(),
                        snapshot == null ? 0 : snapshot.lostTotal(),
                        eventToPixelEnd.replace("\"", "'"),
                        e2p.getTotalCount(),
                        e2p.getValueAtPercentile(50) / 1e6,
                        e2p.getValueAtPercentile(90) / 1e6,
                        e2p.getValueAtPercentile(99) / 1e6,
                        e2p.getMaxValue() / 1e6);
        try {
            AtomicFile.write(out, json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println(
                    "gamer-companion: cannot write frame stats to " + out + ": " + e.getMessage());
        }
    }
}
