package org.gamercompanion.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.snapshot.Snapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "selftest",
        description = "Synthetic inputs into the built-in workload; proves the whole path.")
final class SelftestCommand implements Callable<Integer> {
    @Option(
            names = "--seconds",
            defaultValue = "3",
            description = "How long (default ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() throws Exception {
        RecordSession.Result r =
                RecordSession.run(
                        new RecordSession.Request(
                                seconds,
                                List.of(),
                                true,
                                SelftestWorkload.Options.forSeconds(seconds).spreadOverCpus(),
                                null,
                                false,
                                null));
        if (r.agentDied().isPresent()) {
            System.out.println("FAIL " + r.agentDied().get() + " during the self-test");
            System.out.println("SELFTEST: FAIL");
            return 1;
        }
        Snapshot s = r.last();
        SelftestWorkload.Result w = r.workload();
        long inputs = s.kind(Kind.INPUT_TO_RUN).mergedCumulative().count();
        long wakeups = s.kind(Kind.WAKEUP_TO_RUN).mergedCumulative().count();
        int expectRings = Math.min(2, Runtime.getRuntime().availableProcessors());
        boolean ok = true;
        ok &= check("synthetic inputs fired", w.inputsFired() > 0, w.inputsFired() + " fired");
        ok &=
                check(
                        "input_to_run samples, at most one per input",
                        inputs > 0 && inputs <= w.inputsFired(),
                        inputs + " samples for " + w.inputsFired() + " inputs");
        ok &= check("wakeup_to_run samples", wakeups > 0, wakeups + " samples");
        ok &=
                check(
                        "events in at least " + expectRings + " rings",
                        r.ringsWithEvents() >= expectRings,
                        r.ringsWithEvents() + " rings had events");
        ok &=
                check(
                        "consumed equals emitted",
                        s.consumedTotal() == s.emittedTotal(),
                        s.consumedTotal() + " consumed, " + s.emittedTotal() + " emitted");
        ok &= check("no lost events", s.lostTotal() == 0, s.lostTotal() + " lost");
        System.out.println(ok ? "SELFTEST: PASS" : "SELFTEST: FAIL");
        return ok ? 0 : 1;
    }

    private static boolean check(String what, boolean ok, String detail) {
        System.out.printf(Locale.US, "%-4s %s (%s)%n", ok ? "ok" : "FAIL", what, detail);
        return ok;
    }
}
