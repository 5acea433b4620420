package org.gamercompanion.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: {@code compare} on this host (no sched_ext) over a real A/B pair that the VM tier's
 * {@code ab} recorded on a sched_ext kernel with real keys
 * (src/test/resources/recordings/README.md). What the machinery produces is asserted, not the
 * values: they belong to that one run.
 */
class VmAbRecordingsTest {
    private static Histogram merged(Path file, Kind kind) throws Exception {
        return Fixtures.merged(file, kind);
    }

    @Test
    void theVmPairHasAP99RatioWithItsIntervalAndSaysWhichSchedulerRan() throws Exception {
        Comparison c =
                Comparer.compare(
                        Fixtures.VM_AB_DEFAULT, Fixtures.VM_AB_GAMER, Comparer.Options.all());
        Comparison.KindResult in = c.kind(Kind.INPUT_TO_RUN);
        Comparison.Ratio p99 = in.ratio("p99");
        assertThat(c.headline()).isEqualTo(Kind.INPUT_TO_RUN);
        assertThat(in.a().count()).isGreaterThanOrEqualTo(1000);
        assertThat(in.b().count()).isGreaterThanOrEqualTo(1000);
        assertThat(p99.hasInterval()).as("%s", p99.unavailable()).isTrue();
        assertThat(p99.ciLow()).isLessThanOrEqualTo(p99.ratio());
        assertThat(p99.ciHigh()).isGreaterThanOrEqualTo(p99.ratio());
        assertThat(c.a().scheduler()).isEqualTo("default (EEVDF)");
        // Each arm states the scheduler its intervals ran under, and nothing else (an arm's file
        // once began with the other arm's scheduler: "default (EEVDF), then gamer at 26.1 s").
        assertThat(c.b().scheduler()).isEqualTo("gamer");
        assertThat(c.b().context().schedulerChanged()).isFalse();
        assertThat(c.notes()).noneMatch(n -> n.contains("changed during the recording"));
        assertThat(c.a().context().context())
                .containsEntry("writer", "ab")
                .containsEntry("ab_arm", "A")
                .containsEntry("input_hook", "attached: fentry");
        assertThat(c.b().context().context())
                .containsEntry("ab_arm", "B")
                .containsEntry("ab_scheduler", "gamer");
    }

    @Test
    void itsPointEstimatesAreWhatHdrHistogramsOwnReaderGives() throws Exception {
        Comparison c =
                Comparer.compare(
                        Fixtures.VM_AB_DEFAULT, Fixtures.VM_AB_GAMER, Comparer.Options.all());
        Histogram a = merged(Fixtures.VM_AB_DEFAULT, Kind.INPUT_TO_RUN);
        Histogram b = merged(Fixtures.VM_AB_GAMER, Kind.INPUT_TO_RUN);
        Comparison.KindResult in = c.kind(Kind.INPUT_TO_RUN);
        assertThat(in.a().count()).isEqualTo(a.getTotalCount());
        assertThat(in.b().count()).isEqualTo(b.getTotalCount());
        assertThat(in.a().percentileNs("p99")).isEqualTo(a.getValueAtPercentile(99));
        assertThat(in.b().percentileNs("p99")).isEqualTo(b.getValueAtPercentile(99));
        assertThat(in.ratio("p99").ratio())
                .isEqualTo((double) b.getValueAtPercentile(99) / a.getValueAtPercentile(99));
    }
}
