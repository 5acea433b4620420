package org.gamercompanion.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javafx.animation.AnimationTimer;
import org.gamercompanion.dashboard.DashboardModel;
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
 */
final class FrameMonitor extends AnimationTimer {
    private static final long FRAME_NS = 1_000_000_000L / 60;
    private static final long WRITE_EVERY_NS = 5_000_000_000L;

    private final Path out;
    private final DashboardModel model;
    private long first;
    private long last;
    private long lastDrawNs;
    private long lastWrite;
    private long pulses;
    private long late;
    private long lateOurs;
    private long maxGapNs;

    FrameMonitor(Path out, DashboardModel model) {
        this.out = out;
        this.model = model;
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
        String json =
                String.format(
                        Locale.US,
                        "{\"seconds\":%.1f,\"pulses\":%d,\"late_pulses\":%d,\"late_pulses_our_work\":%d,\"max_gap_ms\":%.1f,"
                                + "\"draws\":%d,\"draw_total_ms\":%.1f,\"draw_max_ms\":%.2f,\"snapshots_applied\":%d,"
                                + "\"events_consumed\":%d,\"events_lost\":%d}%n",
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
                        snapshot == null ? 0 : snapshot.lostTotal());
        try {
            Files.writeString(out, json);
        } catch (IOException e) {
            System.err.println(
                    "gamer-companion: cannot write frame stats to " + out + ": " + e.getMessage());
        }
    }
}
