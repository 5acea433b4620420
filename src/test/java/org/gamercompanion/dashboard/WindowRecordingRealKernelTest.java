package org.gamercompanion.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.Recording;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.snapshot.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's Record on the real agent (issue 15 item 2): the session of the self-test goes into
 * an .hlog that states the window wrote it and which game it followed, and Reset empties the
 * session's numbers while the recording goes on.
 */
class WindowRecordingRealKernelTest {
    @TempDir Path tmp;

    @Test
    void aRecordedSessionIsAReadableRecordingOfItsTarget() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        LiveCaptureBackend backend =
                new LiveCaptureBackend(new SelftestWorkload.Options(60, 0, 0, 0, 0));
        backend.recordingsDir(tmp);
        backend.sessionsDir(null);
        CaptureBackend.Session s = backend.start(tgid -> {});
        try {
            CaptureBackend.Workload w = s.startSelftest();
            Path file = s.startRecording("gamer-selftest (pid " + w.pid() + ")", w.pid());
            assertThat(file.getParent()).isEqualTo(tmp);
            assertThat(file.getFileName().toString())
                    .startsWith("gamer-selftest-pid-" + w.pid() + "-");
            Snapshot last = s.sample();
            while (last.kind(Kind.WAKEUP_TO_RUN).mergedCumulative().count() == 0) {
                Thread.sleep(50); // the sampler's own tick: samples arrive as the workload runs
                last = s.sample();
            }
            s.resetSession();
            Snapshot.KindView after = s.sample().kind(Kind.WAKEUP_TO_RUN);
            assertThat(after.mergedCumulative().count())
                    .as("after a reset the session holds only the newest interval")
                    .isEqualTo(after.mergedInterval().count());
            assertThat(s.stopRecording()).contains(file);
            Recording rec = Recording.read(file, 16, false);
            assertThat(rec.intervals()).isPositive();
            assertThat(rec.context().context()).containsEntry("writer", "window");
            assertThat(rec.context().games())
                    .singleElement()
                    .satisfies(
                            g -> {
                                assertThat(g.exe()).isEqualTo("gamer-selftest");
                                assertThat(g.tgid()).isEqualTo(w.pid());
                            });
            assertThat(s.stopRecording()).isEmpty();
        } finally {
            s.close();
        }
    }
}
