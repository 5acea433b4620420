package org.gamercompanion.recorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Interval latency histograms per (ring, kind): 16 x 3 pairs of latencies in nanoseconds, 3
 * significant digits, up to {@link #HIGHEST_TRACKABLE_NS}. The writer counts into plain {@code
 * long[]} banks with HdrHistogram's bucket math ({@link HdrLayout}); the sampler folds each
 * interval into a {@link Histogram} whose counts are those HdrHistogram's own {@code recordValue}
 * would have produced (the same counts array, so the same encoding in .hlog files and the same
 * percentiles; {@code LatencyRecordersTest} proves it).
 *
 * <p>A bank holds, per pair, the counts ({@link HdrLayout#LENGTH} longs, padded to whole 1,024s)
 * and one "touched" byte per 1,024 counts, which the writer sets next to each increment: the
 * sampler reads and clears only the touched stretches, not 48 x 27,000 counts per interval. (A
 * total per pair would do as well, but its increment is a load-store chain on one address, dearer
 * than a plain store.)
 *
 * <p><b>Single writer:</b> {@link #record}, {@link #beginBatch} and {@link #endBatch} must only
 * ever be called from one thread (the event pipeline's handler thread). {@link #takeInterval} and
 * {@link #intervalHistogram} may be called from one other thread (the sampler). Nothing is
 * allocated on either side in steady state.
 *
 * <p><b>Memory semantics</b> (HdrHistogram's {@link WriterReaderPhaser}, as in its {@code
 * SingleWriterRecorder}, with one difference: a writer critical section spans a batch of records,
 * not one record):
 *
 * <ul>
 *   <li>{@link #beginBatch}: {@code writerCriticalSectionEnter} (a volatile getAndIncrement), then
 *       an acquire load of the active bank. Records in the batch are plain stores into that bank.
 *       The sampler waits for an open batch to close, so batches must be short: the pipeline closes
 *       one at the end of every Disruptor batch and after every 4,096 events.
 *   <li>{@link #endBatch}: {@code writerCriticalSectionExit} (a volatile getAndIncrement): every
 *       store of the batch happens-before the sampler's {@code flipPhase} that sees the exit.
 *   <li>{@link #record} outside a batch opens and closes a critical section around that one record
 *       (two atomic increments: correct anywhere, only slower).
 *   <li>{@link #takeInterval}: under the reader lock, a release store makes the spare bank active,
 *       then {@code flipPhase} returns once every writer section that could have used the old bank
 *       has exited. The old bank is then the sampler's alone: {@link #intervalHistogram} folds and
 *       clears its pairs with plain accesses, and the next {@link #takeInterval}'s release store
 *       hands it back to the writer (whose next {@link #beginBatch} acquires it).
 * </ul>
 *
 * <pre>{@code
 * LatencyRecorders rec = new LatencyRecorders(16);
 * rec.beginBatch();                                          // writer thread
 * rec.record(ring, Kind.INPUT_TO_RUN.wireId(), latencyNs);
 * rec.endBatch();                                            // the sampler may wait until here
 * rec.takeInterval();                                        // sampler thread, once per sample
 * Histogram h = rec.intervalHistogram(ring, kind, previous); // for each pair, recycles previous
 * }</pre>
 */
public final class LatencyRecorders {
    /** Latencies above one minute are clamped to it (and still counted). */
    public static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;

    /** Relative precision of every latency histogram: 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /** Counts per touched byte: 2^10. */
    private static final int STRETCH_SHIFT = 10;

    /**
     * Counts per pair in a bank: {@link HdrLayout#LENGTH} rounded up to whole stretches, so the
     * touched byte of count i of any pair is simply {@code i >> STRETCH_SHIFT}.
     */
    private static final int PAIR_STRIDE =
            (HdrLayout.LENGTH + (1 << STRETCH_SHIFT) - 1) >> STRETCH_SHIFT << STRETCH_SHIFT;

    private static final VarHandle ACTIVE;

    static {
        try {
            ACTIVE =
                    MethodHandles.lookup()
                            .findVarHandle(LatencyRecorders.class, "active", Bank.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The counts of every pair (pair p from p * PAIR_STRIDE), one touched byte per stretch, and in
     * {@code newestEndNs[0]} the largest kernel end time stamp the writer noted into this bank (0:
     * none).
     */
    private record Bank(long[] counts, byte[] touched, long[] newestEndNs) {
        Bank(int pairs) {
            this(
                    new long[pairs * PAIR_STRIDE],
                    new byte[(pairs * PAIR_STRIDE) >> STRETCH_SHIFT],
                    new long[1]);
        }
    }

    /**
     * Receives the counts of one pair's taken interval ({@link #foldInterval}): {@code count}
     * values at counts-array index {@code index} ({@link HdrLayout}: the value is {@link
     * HdrLayout#lowestValue}, HdrHistogram reports it as {@link HdrLayout#highestValue}).
     */
    @FunctionalInterface
    public interface CountVisitor {
        void add(int index, long count);
    }

    private final int ringCount;
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();

    /**
     * The bank the writer counts into; release store by the sampler, acquire load by the writer.
     */
    @SuppressWarnings("unused") // accessed through ACTIVE
    private Bank active;

    // Writer thread only: the open batch's bank (null: no batch open) and its phaser epoch.
    private long[] batchCounts;
    private byte[] batchTouched;
    private long[] batchNewestEndNs;
    private long batchEpoch;

    // Sampler thread only.
    private Bank spare;
    private long intervalStartMs;
    private long intervalEndMs;
    private long takenNewestEndNs;

    public LatencyRecorders(int ringCount) {
        this.ringCount = ringCount;
        this.active = new Bank(ringCount * Kind.COUNT);
        this.spare = new Bank(ringCount * Kind.COUNT);
        this.intervalEndMs = System.currentTimeMillis();
    }

    /** A histogram shaped like every recorder's, for recycling and merging. */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    public int ringCount() {
        return ringCount;
    }

    /**
     * Records one latency. Writer thread only. Values below 1 ns are recorded as 1 ns, values above
     * {@link #HIGHEST_TRACKABLE_NS} as that. Inside a batch ({@link #beginBatch}) two plain stores;
     * outside one, a critical section of its own.
     */
    public void record(int ring, int kindWireId, long latencyNs) {
        long v = latencyNs < 1 ? 1 : Math.min(latencyNs, HIGHEST_TRACKABLE_NS);
        int pair = ring * Kind.COUNT + kindWireId;
        long[] counts = batchCounts;
        if (counts == null) {
            recordAlone(pair, v);
            return;
        }
        int i = pair * PAIR_STRIDE + HdrLayout.index(v);
        counts[i]++;
        batchTouched[i >> STRETCH_SHIFT] = 1;
    }

    /**
     * Opens a batch: the following {@link #record}s are plain stores until {@link #endBatch}.
     * Writer thread only; does nothing when a batch is open already.
     */
    public void beginBatch() {
        if (batchCounts == null) {
            batchEpoch = phaser.writerCriticalSectionEnter();
            Bank bank = (Bank) ACTIVE.getAcquire(this);
            batchTouched = bank.touched();
            batchNewestEndNs = bank.newestEndNs();
            batchCounts = bank.counts();
        }
    }

    /**
     * Notes the kernel end time stamp ({@code CLOCK_MONOTONIC} ns) of the newest event recorded in
     * the open batch, so that the snapshot that folds these counts knows how fresh it is ({@link
     * #takenNewestEndNs}). Writer thread only, inside a batch (outside one it does nothing): a
     * plain store, published with the batch's counts by {@link #endBatch}. Called once per batch,
     * not per record: a per-record max would be a load-store chain on one address.
     */
    public void noteNewestEndNs(long endNs) {
        long[] newest = batchNewestEndNs;
        if (newest != null && endNs > newest[0]) {
            newest[0] = endNs;
        }
    }

    /**
     * Closes the open batch, if any: the sampler's {@link #takeInterval} waits for it until then.
     * Writer thread only; call it whenever the writer may go idle.
     */
    public void endBatch() {
        if (batchCounts != null) {
            batchCounts = null;
            batchTouched = null;
            batchNewestEndNs = null;
            phaser.writerCriticalSectionExit(batchEpoch);
        }
    }

    private void recordAlone(int pair, long v) {
        long epoch = phaser.writerCriticalSectionEnter();
        try {
            Bank bank = (Bank) ACTIVE.getAcquire(this);
            int i = pair * PAIR_STRIDE + HdrLayout.index(v);
            bank.counts()[i]++;
            bank.touched()[i >> STRETCH_SHIFT] = 1;
        } finally {
            phaser.writerCriticalSectionExit(epoch);
        }
    }

    /**
     * Ends the current interval of every pair (one swap for all 48): from here on {@link
     * #intervalHistogram} returns what was recorded up to now. Sampler thread only; waits for an
     * open batch of the writer to close.
     */
    public void takeInterval() {
        phaser.readerLock();
        try {
            Bank old = (Bank) ACTIVE.getAcquire(this);
            ACTIVE.setRelease(this, spare);
            spare = old;
            intervalStartMs = intervalEndMs;
            intervalEndMs = System.currentTimeMillis();
            phaser.flipPhase(500_000L);
            // The old bank is ours now (flipPhase): read its mark and clear it before the next
            // takeInterval hands the bank back to the writer.
            takenNewestEndNs = spare.newestEndNs()[0];
            spare.newestEndNs()[0] = 0;
        } finally {
            phaser.readerUnlock();
        }
    }

    /**
     * The newest kernel end time stamp ({@code CLOCK_MONOTONIC} ns) the writer noted ({@link
     * #noteNewestEndNs}) in the interval that the last {@link #takeInterval} ended; 0 when none.
     * Sampler thread only.
     */
    public long takenNewestEndNs() {
        return takenNewestEndNs;
    }

    /**
     * When the interval that the last {@link #takeInterval} ended ended: ms since the epoch, as
     * {@link #intervalHistogram} stamps it. Sampler thread only.
     */
    public long takenIntervalEndMs() {
        return intervalEndMs;
    }

    /**
     * The values of this (ring, kind) in the interval that the last {@link #takeInterval} ended,
     * with that interval's start and end time stamps (ms since the epoch, as HdrHistogram's
     * recorders set them). Sampler thread only; call it once per pair and interval: a pair whose
     * interval is not taken keeps its values, and they are reported with a later interval.
     *
     * @param recycle the histogram this method returned last time for the same pair, or null
     */
    public Histogram intervalHistogram(int ring, Kind kind, Histogram recycle) {
        Histogram h = recycle != null ? recycle : newHistogram();
        if (h.getTotalCount() != 0) {
            h.reset(); // clears all 27,000 counts: skipped for the many pairs that stay empty
        }
        foldInterval(ring, kind, (i, c) -> h.recordValueWithCount(HdrLayout.lowestValue(i), c));
        h.setStartTimeStamp(intervalStartMs);
        h.setEndTimeStamp(intervalEndMs);
        return h;
    }

    /**
     * Hands the non-zero counts of this (ring, kind) in the interval that the last {@link
     * #takeInterval} ended to {@code visitor}, in index order, and clears them: the work is
     * proportional to the stretches the writer touched, not to the 27,000 counts. Sampler thread
     * only; like {@link #intervalHistogram} (which is this fold into a Histogram), once per pair
     * and interval.
     *
     * @return the number of values visited (the sum of the counts)
     */
    public long foldInterval(int ring, Kind kind, CountVisitor visitor) {
        int base = (ring * Kind.COUNT + kind.wireId()) * PAIR_STRIDE;
        long[] counts = spare.counts();
        byte[] touched = spare.touched();
        long total = 0;
        for (int from = base; from < base + PAIR_STRIDE; from += 1 << STRETCH_SHIFT) {
            if (touched[from >> STRETCH_SHIFT] == 0) {
                continue;
            }
            touched[from >> STRETCH_SHIFT] = 0;
            for (int i = from; i < from + (1 << STRETCH_SHIFT); i++) {
                long c = counts[i];
                if (c != 0) {
                    counts[i] = 0;
                    total += c;
                    visitor.add(i - base, c);
                }
            }
        }
        return total;
    }
}
