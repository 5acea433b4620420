package org.gamercompanion.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.gamercompanion.recorder.HdrLayout;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recording.RecordingContext;
import org.gamercompanion.recording.RecordingException;
import org.gamercompanion.snapshot.LatencyBuckets;

/**
 * Compares two recordings: {@code compare A.hlog B.hlog}, the Compare view, and the end of {@code
 * ab}. Point estimates are HdrHistogram's percentiles of each whole recording; each ratio's 95%
 * interval comes from a block bootstrap over the recordings' time blocks ({@link BlockBootstrap},
 * docs/METRICS.md).
 *
 * <pre>{@code
 * Comparison c = Comparer.compare(Path.of("A-default.hlog"), Path.of("B-gamer.hlog"), Comparer.Options.all());
 * System.out.println(c.verdict());   // B cuts p99 input->run to 0.32x of A (95% CI 0.21-0.47, ...)
 * }</pre>
 *
 * <p>Deterministic: the bootstrap's random streams are seeded by a constant, the recording (A or B)
 * and the kind, so the same two files always give the same numbers, with or without {@code --kind}.
 */
public final class Comparer {
    static final int HEADLINE = 2; // p99
    private static final int RING_COUNT = 16;

    /**
     * @param kind only this kind (it becomes the headline); null: every kind recorded in both, the
     *     headline is input_to_run where both have its samples, else the first kind that has
     * @param salvage skip corrupt interval lines (counted) instead of failing
     */
    public record Options(Kind kind, boolean salvage, int replicates) {
        public static Options all() {
            return new Options(null, false, BlockBootstrap.REPLICATES);
        }

        public Options kind(Kind k) {
            return new Options(k, salvage, replicates);
        }

        public Options salvage(boolean s) {
            return new Options(kind, s, replicates);
        }
    }

    private Comparer() {}

    /**
     * Reads both recordings and compares them.
     *
     * @throws RecordingException a file that is missing, empty, not an HdrHistogram log, corrupt
     *     (without salvage), holds no histograms of ours, or does not record {@code options.kind}
     * @throws CompareException the two have no kind in common
     */
    public static Comparison compare(Path a, Path b, Options options) throws IOException {
        // B is read on another core while this thread reads A: the two files are independent.
        CompletableFuture<RecordingSeries> fb =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return read(b, options);
                            } catch (IOException e) {
                                throw new CompletionException(e);
                            }
                        });
        RecordingSeries ra;
        try {
            ra = read(a, options);
        } catch (IOException | RuntimeException e) {
            fb.cancel(false);
            throw e;
        }
        RecordingSeries rb;
        try {
            rb = fb.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
        return compare(ra, rb, options);
    }

    private static RecordingSeries read(Path file, Options options) throws IOException {
        RecordingSeries s = RecordingSeries.read(file, RING_COUNT, options.salvage());
        if (s.summary.intervals() == 0) {
            throw new RecordingException(
                    file,
                    0,
                    s.summary.foreign() > 0
                            ? "holds no histograms of Gamer Companion ("
                                    + s.summary.foreign()
                                    + " intervals tagged by another tool)"
                            : "holds no interval histograms: an empty recording");
        }
        if (options.kind() != null && !s.context.kinds().contains(options.kind())) {
            throw new RecordingException(
                    file,
                    0,
                    "does not record "
                            + options.kind().id()
                            + " (it records "
                            + ids(s.context.kinds())
                            + ")");
        }
        return s;
    }

    static Comparison compare(RecordingSeries ra, RecordingSeries rb, Options options)
            throws CompareException {
        List<Kind> kinds = new ArrayList<>();
        for (Kind k : Kind.values()) {
            boolean both = ra.context.kinds().contains(k) && rb.context.kinds().contains(k);
            if (both && (options.kind() == null || options.kind() == k)) {
                kinds.add(k);
            }
        }
        if (kinds.isEmpty()) {
            throw new CompareException(
                    "no kind is recorded in both "
                            + ra.file
                            + " ("
                            + ids(ra.context.kinds())
                            + ") and "
                            + rb.file
                            + " ("
                            + ids(rb.context.kinds())
                            + "): nothing to compare");
        }
        Comparison.Side sa = side("A", ra);
        Comparison.Side sb = side("B", rb);
        // Kinds are independent (each bootstrap has its own seeded stream): they run on all cores.
        List<Comparison.KindResult> results =
                kinds.parallelStream()
                        .map(k -> kind(k, ra, rb, sa, sb, options.replicates()))
                        .toList();
        Kind headline = options.kind() != null ? options.kind() : headline(results);
        Comparison.KindResult h =
                results.stream().filter(r -> r.kind() == headline).findFirst().orElseThrow();
        return new Comparison(sa, sb, List.copyOf(results), headline, h.verdict(), notes(ra, rb));
    }

    /**
     * input_to_run when both have its samples (the product's question), else the first kind that
     * has.
     */
    private static Kind headline(List<Comparison.KindResult> results) {
        for (Kind k : List.of(Kind.INPUT_TO_RUN, Kind.WAKEUP_TO_RUN, Kind.PREEMPT_TO_RUN)) {
            for (Comparison.KindResult r : results) {
                if (r.kind() == k && r.a().count() > 0 && r.b().count() > 0) {
                    return k;
                }
            }
        }
        return results.get(0).kind();
    }

    private static Comparison.Side side(String label, RecordingSeries s) {
        int blocks = s.kinds.get(Kind.INPUT_TO_RUN).blocks;
        return new Comparison.Side(
                label,
                s.file,
                s.context.schedulerLabel(),
                s.context,
                s.recordedS,
                blocks,
                s.blockSeconds,
                s.summary.intervals(),
                s.summary.skipped());
    }

    private static Comparison.KindResult kind(
            Kind k,
            RecordingSeries ra,
            RecordingSeries rb,
            Comparison.Side sa,
            Comparison.Side sb,
            int replicates) {
        RecordingSeries.KindData da = ra.kind(k);
        RecordingSeries.KindData db = rb.kind(k);
        Comparison.Stats a = stats(ra.context.kinds().contains(k), da);
        Comparison.Stats b = stats(rb.context.kinds().contains(k), db);
        double[] ps = Comparison.PERCENTILES;
        long[][] repA = null;
        long[][] repB = null;
        List<Comparison.Ratio> ratios = new ArrayList<>();
        String what = Verdict.name(k);
        for (int q = 0; q < ps.length; q++) {
            String p = Comparison.PERCENTILE_NAMES.get(q);
            if (a.count() == 0 || b.count() == 0) {
                ratios.add(
                        new Comparison.Ratio(
                                p,
                                Double.NaN,
                                Double.NaN,
                                Double.NaN,
                                "No " + what + " samples in " + (a.count() == 0 ? "A" : "B")));
                continue;
            }
            String why = Verdict.unavailable(p, what, ps[q], a.count(), b.count(), sa, sb);
            double ratio = (double) b.percentilesNs().get(q) / a.percentilesNs().get(q);
            if (why != null) {
                boolean fewSamples = why.startsWith("Too few");
                ratios.add(
                        new Comparison.Ratio(
                                p, fewSamples ? Double.NaN : ratio, Double.NaN, Double.NaN, why));
                continue;
            }
            if (repA == null) {
                CompletableFuture<long[][]> fb =
                        CompletableFuture.supplyAsync(
                                () -> BlockBootstrap.replicates(db, ps, replicates, stream(1, k)));
                repA = BlockBootstrap.replicates(da, ps, replicates, stream(0, k));
                repB = fb.join();
            }
            double[] ci = BlockBootstrap.ratioInterval(repA[q], repB[q]);
            ratios.add(
                    ci == null
                            ? new Comparison.Ratio(
                                    p,
                                    ratio,
                                    Double.NaN,
                                    Double.NaN,
                                    "Too few samples in some resamples for an"
                                            + " interval of "
                                            + p
                                            + " "
                                            + what)
                            : new Comparison.Ratio(p, ratio, ci[0], ci[1], null));
        }
        String verdict = Verdict.of(k, a, b, ratios, HEADLINE, sa, sb);
        return new Comparison.KindResult(
                k,
                a,
                b,
                List.copyOf(ratios),
                verdict,
                buckets(da),
                buckets(db),
                curve(da),
                curve(db));
    }

    private static long stream(int side, Kind k) {
        return side * 16L + k.wireId();
    }

    private static Comparison.Stats stats(boolean recorded, RecordingSeries.KindData d) {
        long[] ps = new long[Comparison.PERCENTILES.length];
        Quantiles.valuesAt(d.counts, d.total, Comparison.PERCENTILES, ps);
        List<Long> percentiles = new ArrayList<>();
        for (long p : ps) {
            percentiles.add(p);
        }
        List<Double> shares = new ArrayList<>();
        for (long t : Comparison.THRESHOLDS_NS) {
            shares.add(
                    d.total == 0
                            ? Double.NaN
                            : (double) Quantiles.countAbove(d.counts, t) / d.total);
        }
        return new Comparison.Stats(
                recorded,
                d.total,
                List.copyOf(percentiles),
                Quantiles.max(d.counts),
                List.copyOf(shares));
    }

    /** Counts on the chart axis: each HDR bucket goes where its highest equivalent value falls. */
    private static long[] buckets(RecordingSeries.KindData d) {
        long[] out = new long[LatencyBuckets.COUNT];
        for (int i = 0; i < d.counts.length; i++) {
            if (d.counts[i] != 0) {
                out[LatencyBuckets.bucketOf(HdrLayout.highestValue(i))] += d.counts[i];
            }
        }
        return out;
    }

    /** The cumulative distribution at the coarse buckets' upper values (under 0.8% apart). */
    private static Comparison.Curve curve(RecordingSeries.KindData d) {
        if (d.total == 0) {
            return Comparison.Curve.EMPTY;
        }
        List<long[]> points = new ArrayList<>();
        long running = 0;
        long coarse = 0;
        int shift = RecordingSeries.COARSE_SHIFT;
        for (int i = 0; i < d.counts.length; i++) {
            coarse += d.counts[i];
            boolean last = ((i + 1) & ((1 << shift) - 1)) == 0 || i == d.counts.length - 1;
            if (last && coarse != 0) {
                running += coarse;
                coarse = 0;
                points.add(new long[] {HdrLayout.highestValue(i), running});
            }
        }
        long[] values = new long[points.size()];
        double[] fractions = new double[points.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = points.get(i)[0];
            fractions[i] = (double) points.get(i)[1] / d.total;
        }
        return new Comparison.Curve(values, fractions);
    }

    /** What a reader should know before trusting the numbers. */
    private static List<String> notes(RecordingSeries ra, RecordingSeries rb) {
        List<String> notes = new ArrayList<>();
        Map<String, String> ca = ra.context.context();
        Map<String, String> cb = rb.context.context();
        for (String key : List.of("kernel", "cpu_model", "cpu_count")) {
            String va = ca.get(key);
            String vb = cb.get(key);
            if (va != null && vb != null && !va.equals(vb)) {
                notes.add(
                        String.format(
                                Locale.US,
                                "A and B were recorded with different %s (%s vs %s): the difference"
                                        + " is not only the scheduler's",
                                key.replace('_', ' '),
                                va,
                                vb));
            }
        }
        String ga = game(ra.context);
        String gb = game(rb.context);
        if (ga != null && gb != null && !ga.equals(gb)) {
            notes.add("A and B followed different games (" + ga + " vs " + gb + ")");
        }
        for (RecordingSeries s : List.of(ra, rb)) {
            String label = s == ra ? "A" : "B";
            if (s.context.schedulerChanged()) {
                notes.add(
                        label
                                + "'s scheduler changed during the recording: "
                                + s.context.schedulerLabel());
            }
            String lost = s.context.end().get("lost_total");
            if (lost != null && !lost.equals("0")) {
                notes.add(
                        label
                                + " lost "
                                + lost
                                + " events in full rings: its samples may be missing some");
            }
            if (s.summary.skipped() > 0) {
                notes.add(
                        label
                                + ": "
                                + s.summary.skipped()
                                + " corrupt lines skipped (--salvage), the first at "
                                + s.summary.firstSkipped());
            }
            if (s.context.format() == 0) {
                notes.add(
                        label
                                + " states no context (not written by Gamer Companion?): its scheduler is unknown");
            }
        }
        if (!Objects.equals(ca.get("input_hook"), cb.get("input_hook"))
                && ca.containsKey("input_hook")
                && cb.containsKey("input_hook")) {
            notes.add(
                    "A and B had different input hooks ("
                            + ca.get("input_hook")
                            + " vs "
                            + cb.get("input_hook")
                            + ")");
        }
        return List.copyOf(notes);
    }

    private static String game(RecordingContext c) {
        if (!c.games().isEmpty()) {
            return c.games().get(0).exe();
        }
        return c.context().get("game_exe");
    }

    private static String ids(List<Kind> kinds) {
        return String.join(", ", kinds.stream().map(Kind::id).toList());
    }
}
