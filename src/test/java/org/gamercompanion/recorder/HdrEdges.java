package org.gamercompanion.recorder;

import java.util.stream.LongStream;

/**
 * The values where HdrHistogram's bucket math turns: the first sub-bucket edges, the octave edges
 * further up, a frame (16.7 ms), and the highest trackable value. One list for the tests that hold
 * our copies of that math against HdrHistogram's own.
 */
final class HdrEdges {
    private HdrEdges() {}

    /** Edges inside the trackable range, 0 included (HdrHistogram records it). */
    static LongStream inRange() {
        return LongStream.of(
                0,
                1,
                2,
                1023,
                1024,
                2047,
                2048,
                2049,
                4095,
                4096,
                1_000_000,
                16_700_000,
                (1L << 35) - 1,
                1L << 35,
                LatencyRecorders.HIGHEST_TRACKABLE_NS - 1,
                LatencyRecorders.HIGHEST_TRACKABLE_NS);
    }
}
