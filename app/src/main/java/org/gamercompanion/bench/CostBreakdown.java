package org.gamercompanion.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.ring.EventLayout;

/**
 * Where the Java per-record work goes, measured apart from the rings: the same 40-byte records (48
 * bytes apart, as in a ring) in one native segment, timed for (a) decoding every field, (b)
 * recording the latency into HdrHistogram's {@link Histogram}, (c) counting it in a plain array
 * with HdrHistogram's bucket resolution, which is what the C reference's histogram does, (d) the
 * same through the product's {@link LatencyRecorders} in one batch (ring and kind in turn), (e) the
 * same into HdrHistogram {@link SingleWriterRecorder}s, one per (ring, kind), as the product
 * recorded before. Medians of rounds after warm-up, ns per record.
 */
final class CostBreakdown {
    record Result(
            double decodeNs,
            double hdrRecordNs,
            double plainArrayNs,
            double recordersNs,
            double singleWriterRecordersNs) {}

    private CostBreakdown() {}

    static Result measure(int records, int rounds) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = arena.allocate(48L * records, 8);
            for (int i = 0; i < records; i++) {
                long off = 48L * i + 8;
                s.set(ValueLayout.JAVA_LONG, off + EventLayout.offsetOf("start_ns"), 0L);
                s.set(
                        ValueLayout.JAVA_LONG,
                        off + EventLayout.offsetOf("end_ns"),
                        1000 + (i & 0xffff));
            }
            Histogram h =
                    new Histogram(
                            1,
                            LatencyRecorders.HIGHEST_TRACKABLE_NS,
                            LatencyRecorders.SIGNIFICANT_DIGITS);
            long[] plain = new long[1 << 16];
            LatencyRecorders recorders = new LatencyRecorders(EventLayout.RING_COUNT);
            SingleWriterRecorder[] singleWriter = new SingleWriterRecorder[6];
            for (int i = 0; i < singleWriter.length; i++) {
                singleWriter[i] =
                        new SingleWriterRecorder(
                                1,
                                LatencyRecorders.HIGHEST_TRACKABLE_NS,
                                LatencyRecorders.SIGNIFICANT_DIGITS);
            }
            int warmup = 10;
            double[] decode = new double[rounds];
            double[] hdr = new double[rounds];
            double[] array = new double[rounds];
            double[] rec = new double[rounds];
            double[] swr = new double[rounds];
            long sink = 0;
            for (int round = 0; round < warmup + rounds; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    long off = 48L * i + 8;
                    sink +=
                            EventLayout.pid(s, off)
                                    + EventLayout.tgid(s, off)
                                    + EventLayout.cpu(s, off)
                                    + EventLayout.ring(s, off)
                                    + EventLayout.kind(s, off)
                                    + EventLayout.source(s, off)
                                    + EventLayout.inputType(s, off)
                                    + EventLayout.inputCode(s, off)
                                    + EventLayout.endNs(s, off)
                                    - EventLayout.startNs(s, off);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    long off = 48L * i + 8;
                    h.recordValue(EventLayout.endNs(s, off) - EventLayout.startNs(s, off));
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    long off = 48L * i + 8;
                    long v = EventLayout.endNs(s, off) - EventLayout.startNs(s, off);
                    // HdrHistogram's bucket index for 3 digits: sub-bucket of 2048, power-of-two
                    // buckets.
                    int pow2ceiling = 64 - Long.numberOfLeadingZeros(v | 2047);
                    int bucket = pow2ceiling - 11;
                    plain[((bucket + 1) << 10) + (int) (v >>> bucket) - 1024]++;
                }
                long t3 = System.nanoTime();
                recorders.beginBatch();
                for (int i = 0; i < records; i++) {
                    long off = 48L * i + 8;
                    recorders.record(
                            i & 1, i % 3, EventLayout.endNs(s, off) - EventLayout.startNs(s, off));
                }
                recorders.endBatch();
                long t4 = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    long off = 48L * i + 8;
                    long v = EventLayout.endNs(s, off) - EventLayout.startNs(s, off);
                    singleWriter[(i & 1) * 3 + i % 3].recordValue(
                            v < 1 ? 1 : Math.min(v, LatencyRecorders.HIGHEST_TRACKABLE_NS));
                }
                long t5 = System.nanoTime();
                recorders.takeInterval();
                for (int i = 0; i < singleWriter.length; i++) {
                    recorders.intervalHistogram(i / 3, Kind.ofWireId(i % 3), null);
                    singleWriter[i].getIntervalHistogram();
                }
                if (round >= warmup) {
                    decode[round - warmup] = (t1 - t0) / (double) records;
                    hdr[round - warmup] = (t2 - t1) / (double) records;
                    array[round - warmup] = (t3 - t2) / (double) records;
                    rec[round - warmup] = (t4 - t3) / (double) records;
                    swr[round - warmup] = (t5 - t4) / (double) records;
                }
            }
            if (sink == 42) {
                System.err.print("");
            }
            return new Result(median(decode), median(hdr), median(array), median(rec), median(swr));
        }
    }

    private static double median(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
