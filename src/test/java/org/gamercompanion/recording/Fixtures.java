package org.gamercompanion.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;

/**
 * The committed real recordings (src/test/resources/recordings/README.md says where and how each
 * was recorded): never generated, never edited.
 */
public final class Fixtures {
    private Fixtures() {}

    public static final Path DIR = Path.of("src/test/resources/recordings");

    /** Self-test on an idle 2-CPU machine. */
    public static final Path QUIET = DIR.resolve("selftest-quiet.hlog");

    /** The same self-test with four busy loops on the same 2 CPUs. */
    public static final Path HOGS = DIR.resolve("selftest-4hogs.hlog");

    /**
     * Arm A (default EEVDF) of an {@code ab} run in the VM tier: sched_ext kernel, real keys, 4
     * hogs.
     */
    public static final Path VM_AB_DEFAULT = DIR.resolve("vm-ab-default.hlog");

    /** Arm B (gamer) of the same {@code ab} run. */
    public static final Path VM_AB_GAMER = DIR.resolve("vm-ab-gamer.hlog");

    public static List<Path> all() {
        return List.of(QUIET, HOGS, VM_AB_DEFAULT, VM_AB_GAMER);
    }

    /** One kind of a recording merged over its rings, read by HdrHistogram's own reader alone. */
    public static Histogram merged(Path file, Kind kind) throws IOException {
        Histogram h = LatencyRecorders.newHistogram();
        HistogramLogReader r = new HistogramLogReader(file.toFile());
        try {
            EncodableHistogram eh;
            while ((eh = r.nextIntervalHistogram()) != null) {
                if (eh.getTag().startsWith(kind.id() + ".ring")) {
                    h.add((Histogram) eh);
                }
            }
        } finally {
            r.close();
        }
        return h;
    }
}
