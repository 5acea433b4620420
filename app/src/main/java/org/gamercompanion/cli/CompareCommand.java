package org.gamercompanion.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.gamercompanion.compare.Comparer;
import org.gamercompanion.compare.Comparison;
import org.gamercompanion.compare.ComparisonJson;
import org.gamercompanion.recorder.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compare A.hlog B.hlog [--kind K] [--json]}: the verdict, the numbers side by side, the
 * ratios with their intervals.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compare two recordings (.hlog): per kind the numbers side by side, the ratio B/A of each"
                    + " percentile with its 95%% confidence interval (block bootstrap), and a verdict in words.",
            "Method and limits: docs/METRICS.md."
        })
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A.hlog", description = "The baseline.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.hlog", description = "The recording compared with it.")
    Path b;

    @Option(
            names = "--kind",
            paramLabel = "KIND",
            description = "Only this kind: input_to_run, wakeup_to_run, preempt_to_run.")
    String kind;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(
            names = "--salvage",
            description = "Skip corrupt lines (counted in the notes) instead of failing.")
    boolean salvage;

    @Option(
            names = "--window",
            description = "Show the comparison in the Compare view (needs a display).")
    boolean window;

    /**
     * Opens the Compare view on two files and returns the exit code when it closes; set by the
     * app's entry point (the window lives above the CLI), null where there is none.
     */
    private static volatile BiFunction<Path, Path, Integer> windowOpener;

    public static void windowOpener(BiFunction<Path, Path, Integer> opener) {
        windowOpener = opener;
    }

    @Override
    public Integer call() throws Exception {
        Comparer.Options options = Comparer.Options.all().salvage(salvage);
        if (kind != null) {
            options = options.kind(Kind.ofId(kind));
        }
        if (window) {
            if (windowOpener == null) {
                throw new IllegalStateException("compare --window: this build has no window");
            }
            return windowOpener.apply(a, b);
        }
        Comparison c = Comparer.compare(a, b, options);
        if (json) {
            System.out.println(ComparisonJson.text(c));
        } else {
            print(c, System.out);
        }
        return 0;
    }

    static void print(Comparison c, PrintStream out) {
        for (Comparison.Side s : List.of(c.a(), c.b())) {
            out.printf(
                    Locale.US,
                    "%s  %-24s %s  (%.1f s recorded, %d blocks of %.0f s)%n",
                    s.label(),
                    s.scheduler(),
                    Terminal.escape(s.file().toString()),
                    s.recordedS(),
                    s.blocks(),
                    s.blockS());
        }
        for (Comparison.KindResult r : c.kinds()) {
            out.println();
            out.printf(
                    Locale.US, "%-16s %14s %14s   %s%n", r.kind().id(), "A", "B", "B/A (95% CI)");
            if (!r.a().recorded() || !r.b().recorded()) {
                out.println("  " + r.verdict());
                continue;
            }
            out.printf(
                    Locale.US,
                    "  %-14s %14s %14s%n",
                    "count",
                    String.format(Locale.US, "%,d", r.a().count()),
                    String.format(Locale.US, "%,d", r.b().count()));
            for (int i = 0; i < Comparison.PERCENTILE_NAMES.size(); i++) {
                Comparison.Ratio q = r.ratios().get(i);
                String ratio =
                        q.text()
                                + (q.hasInterval() || q.unavailable() == null
                                        ? ""
                                        : "  (" + shortWhy(q.unavailable()) + ")");
                out.printf(
                        Locale.US,
                        "  %-14s %14s %14s   %s%n",
                        Comparison.PERCENTILE_NAMES.get(i),
                        latency(r.a().percentilesNs().get(i)),
                        latency(r.b().percentilesNs().get(i)),
                        ratio);
            }
            out.printf(
                    Locale.US,
                    "  %-14s %14s %14s%n",
                    "max",
                    latency(r.a().maxNs()),
                    latency(r.b().maxNs()));
            String[] names = {"over 1 ms", "over 4 ms", "over 16.7 ms"};
            for (int i = 0; i < names.length; i++) {
                out.printf(
                        Locale.US,
                        "  %-14s %14s %14s%n",
                        names[i],
                        share(r.a().shareOver().get(i)),
                        share(r.b().shareOver().get(i)));
            }
            out.println("  " + r.verdict());
        }
        out.println();
        out.println("verdict: " + c.verdict());
        if (!c.notes().isEmpty()) {
            out.println("notes:");
            c.notes().forEach(n -> out.println("  - " + Terminal.escape(n)));
        }
    }

    private static String shortWhy(String why) {
        return why.startsWith("Too few samples")
                ? "too few samples"
                : why.startsWith("Too short") ? "too short" : why;
    }

    /**
     * {@code 850 ns}, {@code 33.1 us}, {@code 3.22 ms}, {@code 1.20 s}; {@code -} without samples.
     */
    static String latency(long ns) {
        if (ns < 0) {
            return "-";
        }
        if (ns < 1_000) {
            return ns + " ns";
        }
        if (ns < 1_000_000) {
            return String.format(Locale.US, "%.1f us", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format(Locale.US, "%.2f ms", ns / 1e6);
        }
        return String.format(Locale.US, "%.2f s", ns / 1e9);
    }

    private static String share(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.US, "%.2f%%", v * 100);
    }
}
