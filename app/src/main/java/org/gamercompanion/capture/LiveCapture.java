package org.gamercompanion.capture;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.gamercompanion.agent.AgentClient;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.recorder.EventPipeline;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.ring.RingReader;
import org.gamercompanion.snapshot.RingStats;
import org.gamercompanion.snapshot.Sampler;
import org.gamercompanion.snapshot.Snapshot;

/**
 * The whole live data path, wired: gamer-agent -> 16 kernel rings -> {@link RingReader} -> {@link
 * EventPipeline} (Disruptor) -> {@link LatencyRecorders} -> {@link Sampler} -> snapshots.
 *
 * <pre>{@code
 * try (LiveCapture capture = LiveCapture.start(LiveCapture.Options.defaults(), line -> {})) {
 *     capture.agent().watch(pid);
 *     Snapshot s = capture.sample();   // from one sampler thread, e.g. once a second
 *     capture.finish(2000);            // stop watching, drain what the kernel emitted
 * }
 * }</pre>
 *
 * <p>The parts (agent process, reader, pipeline) stay inside: callers see the agent's connection,
 * snapshots, cumulative histograms and {@link #health}. Recording sessions with profiles, files and
 * the launch wrapper are {@code session.CaptureSession}, built on this.
 */
public final class LiveCapture implements AutoCloseable {
    /** How often the reader drains all rings when no wake-up came (submits mostly do not wake). */
    public static final long DRAIN_INTERVAL_MS = 4;

    private final AgentProcess agent;
    private final AgentClient.Rings rings;
    private final EventPipeline pipeline;
    private final RingReader reader;
    private final Sampler sampler;
    private final ForwardingSink sink;

    /** Start options. */
    public record Options(int ringKib, boolean verbose) {
        public static Options defaults() {
            return new Options(0, false);
        }
    }

    private LiveCapture(
            AgentProcess agent,
            AgentClient.Rings rings,
            EventPipeline pipeline,
            RingReader reader,
            Sampler sampler,
            ForwardingSink sink) {
        this.agent = agent;
        this.rings = rings;
        this.pipeline = pipeline;
        this.reader = reader;
        this.sampler = sampler;
        this.sink = sink;
    }

    /** Starts the agent, maps its rings and starts reading. */
    public static LiveCapture start(Options options, Consumer<Protocol.AsyncLine> asyncListener)
            throws AgentException {
        return start(options, asyncListener, null);
    }

    /**
     * Starts the agent, maps its rings and starts reading; {@code latencyListener} (may be null)
     * sees every event on the recorder thread after it is recorded.
     */
    public static LiveCapture start(
            Options options,
            Consumer<Protocol.AsyncLine> asyncListener,
            EventPipeline.Listener latencyListener)
            throws AgentException {
        AgentProcess agent =
                AgentProcess.start(
                        new AgentProcess.Options(options.ringKib(), false, options.verbose()),
                        asyncListener);
        AgentClient.Rings rings = null;
        EventPipeline pipeline = null;
        try {
            rings = agent.client().hello();
            LatencyRecorders recorders = new LatencyRecorders(Protocol.RING_COUNT);
            pipeline = EventPipeline.start(recorders, latencyListener);
            RingReader reader =
                    RingReader.open(
                            rings.ringFds(),
                            rings.countersFd(),
                            rings.ringBytes(),
                            pipeline,
                            DRAIN_INTERVAL_MS);
            ForwardingSink sink = new ForwardingSink();
            Sampler sampler = new Sampler(recorders, statsOf(reader), sink);
            reader.start();
            return new LiveCapture(agent, rings, pipeline, reader, sampler, sink);
        } catch (IOException | RuntimeException e) {
            if (pipeline != null) {
                pipeline.close();
            }
            if (rings != null) {
                rings.closeFds();
            }
            agent.stop();
            throw e instanceof AgentException ae
                    ? ae
                    : new AgentException("start capture: " + e.getMessage(), e);
        }
    }

    private static RingStats statsOf(RingReader reader) {
        return new RingStats() {
            @Override
            public long emitted(int ring) {
                return reader.counters().emitted(ring);
            }

            @Override
            public long lost(int ring) {
                return reader.counters().lost(ring);
            }

            @Override
            public long consumed(int ring) {
                return reader.consumed(ring);
            }
        };
    }

    /** The agent's control connection: WATCH, SET, SCHED, STATUS. */
    public AgentClient agent() {
        return agent.client();
    }

    public long agentPid() {
        return agent.pid();
    }

    /**
     * Completes with the agent's exit code (as {@link Process#exitValue}) when its process ends,
     * for whatever reason.
     */
    public CompletableFuture<Integer> agentExit() {
        return agent.exit();
    }

    /** The last lines the agent wrote to stderr. */
    public String agentStderrTail() {
        return agent.stderrTail();
    }

    /** The HELLO reply's fields: ring_bytes, cpus, input_hook, ... */
    public Map<String, String> hello() {
        return rings.hello();
    }

    /** Where interval histograms go from now on (e.g. an .hlog writer); sampler thread. */
    public void intervalSink(Sampler.IntervalSink target) {
        sink.target = target == null ? Sampler.IntervalSink.NONE : target;
    }

    /**
     * Takes a snapshot and closes the recording interval ({@link Sampler#sample}); call from one
     * sampler thread only.
     */
    public Snapshot sample() {
        return sampler.sample();
    }

    /**
     * A snapshot that leaves the recording interval open ({@link Sampler#sampleLive}): the window's
     * display-rate update. Sampler thread.
     */
    public Snapshot sampleLive() {
        return sampler.sampleLive();
    }

    /** A new session from the next sample on ({@link Sampler#resetCumulative}); sampler thread. */
    public void resetCumulative() {
        sampler.resetCumulative();
    }

    public Histogram cumulative(Kind kind, int ring) {
        return sampler.cumulative(kind, ring);
    }

    public Histogram mergedCumulative(Kind kind) {
        return sampler.mergedCumulative(kind);
    }

    /**
     * What the data path rejected or saw, for a recording's warnings and its input source.
     *
     * @param rejected records with a bad kind, ring or time
     * @param malformed records the ring reader could not decode
     * @param handlerErrors exceptions in the recorders' handlers
     * @param inputSourcesSeen bit {@code 1 << source} for every input source of an input_to_run
     *     sample
     */
    public record Health(long rejected, long malformed, long handlerErrors, int inputSourcesSeen) {
        /** True when no record was lost to a bug or bad data. */
        public boolean clean() {
            return rejected + malformed + handlerErrors == 0;
        }
    }

    public Health health() {
        return new Health(
                pipeline.rejected(),
                reader.malformed(),
                pipeline.handlerErrors(),
                pipeline.inputSourcesSeen());
    }

    /**
     * Ends a recording cleanly: stops watching (no new samples), waits until the reader consumed
     * everything the kernel emitted and the recorders processed it, and takes the last snapshot.
     *
     * @return the final snapshot; {@link Snapshot#consumedTotal()} equals {@link
     *     Snapshot#emittedTotal()} unless the wait timed out
     */
    public Snapshot finish(long timeoutMillis) throws AgentException {
        agent.client().unwatchAll();
        return drain(timeoutMillis);
    }

    /**
     * Waits until the reader consumed what the kernel emitted and the recorders processed it, and
     * takes the last snapshot, without asking the agent anything: also after the agent died (the
     * rings stay mapped while we hold their fds).
     */
    public Snapshot drain(long timeoutMillis) {
        reader.awaitCaughtUp(timeoutMillis);
        pipeline.awaitProcessed(timeoutMillis);
        return sampler.sample();
    }

    /**
     * Stops the reader and the agent and releases the rings.
     *
     * @return the agent's exit code, -1 if it had to be killed or did not exit
     */
    public int stop() {
        reader.close();
        pipeline.close();
        int code = agent.stop();
        rings.closeFds();
        return code;
    }

    @Override
    public void close() {
        stop();
    }

    private static final class ForwardingSink implements Sampler.IntervalSink {
        volatile Sampler.IntervalSink target = Sampler.IntervalSink.NONE;

        @Override
        public void onInterval(Kind kind, int ring, Histogram interval) {
            target.onInterval(kind, ring, interval);
        }

        @Override
        public void onSampleEnd() {
            target.onSampleEnd();
        }
    }
}
