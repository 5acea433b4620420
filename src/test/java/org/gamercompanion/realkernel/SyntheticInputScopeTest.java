package org.gamercompanion.realkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.gamercompanion.capture.LiveCapture;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.selftest.SelftestWorkload;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 6: the synthetic-input uprobe sits on every gamer-selftest on the machine, but only
 * a self-test this agent watches may count as input. Two self-tests run at once, one watched and
 * one not (firing ten times as many inputs); the agent's {@code inputs_seen} grows by exactly the
 * watched one's inputs, and no more input samples arrive than it fired.
 */
class SyntheticInputScopeTest {
    @Test
    void onlyTheWatchedSelftestsInputsCount() throws Exception {
        RealKernel.assumeBpfAndAgent();
        AtomicLong inputSamples = new AtomicLong();
        AtomicLong foreignSamples = new AtomicLong();
        AtomicLong watchedPid = new AtomicLong(-1);
        SelftestWorkload.Result watched;
        SelftestWorkload.Result other;
        long seenBefore;
        long seenAfter;
        String inputHook;
        try (LiveCapture capture =
                LiveCapture.start(
                        LiveCapture.Options.defaults(),
                        l -> {},
                        e -> {
                            if (e.tgid() != watchedPid.get()) {
                                foreignSamples.incrementAndGet();
                            }
                            if (e.kind() == Kind.INPUT_TO_RUN.wireId()) {
                                inputSamples.incrementAndGet();
                            }
                        })) {
            var before = capture.agent().status();
            seenBefore = Long.parseLong(before.get("inputs_seen"));
            inputHook = before.get("input_hook");
            try (SelftestWorkload w =
                            SelftestWorkload.start(new SelftestWorkload.Options(2, 50, 200, 0, 0));
                    SelftestWorkload o =
                            SelftestWorkload.start(
                                    new SelftestWorkload.Options(2, 500, 200, 0, 0))) {
                watchedPid.set(w.pid());
                capture.agent().watch(w.pid());
                o.go();
                w.go();
                watched = w.awaitResult(30_000);
                other = o.awaitResult(30_000);
            }
            seenAfter = Long.parseLong(capture.agent().status().get("inputs_seen"));
            capture.finish(5_000);
        }
        assertThat(watched.inputsFired()).isPositive();
        assertThat(other.inputsFired())
                .as("the unwatched self-test fired inputs too")
                .isGreaterThan(watched.inputsFired());
        if (inputHook.startsWith("unavailable")) {
            // No kernel input hook here: the watched self-test is the only input source.
            assertThat(seenAfter - seenBefore)
                    .as("inputs_seen during the run")
                    .isEqualTo(watched.inputsFired());
        } else {
            // Real devices may add inputs, but the unwatched self-test's many must not.
            assertThat(seenAfter - seenBefore)
                    .as("inputs_seen during the run")
                    .isGreaterThanOrEqualTo(watched.inputsFired())
                    .isLessThan(watched.inputsFired() + other.inputsFired());
        }
        assertThat(inputSamples.get())
                .as("input_to_run samples")
                .isPositive()
                .isLessThanOrEqualTo(watched.inputsFired());
        assertThat(foreignSamples.get()).as("samples of other processes").isZero();
    }
}
