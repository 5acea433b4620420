package org.gamercompanion.dashboard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.LatencyRecorders;
import org.gamercompanion.snapshot.RingStats;
import org.gamercompanion.snapshot.Sampler;
import org.gamercompanion.snapshot.Snapshot;

/**
 * A backend without a kernel: sessions sample a real {@link Sampler} over real recorders that the
 * test fills, and "die" when the test completes their exit future.
 */
final class FakeBackend implements CaptureBackend {
    final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String refuseWith;

    /** Stands in for a start through pkexec (polkit's password dialog first). */
    volatile boolean asksForAuthorisation;

    /** When set, start() waits for it: the player still looking at the password dialog. */
    volatile CountDownLatch startGate;

    volatile long nextSelftestPid = 9000;

    final class FakeSession implements Session {
        final LatencyRecorders recorders = new LatencyRecorders(16);
        final Sampler sampler = new Sampler(recorders, RingStats.NONE, Sampler.IntervalSink.NONE);
        final CompletableFuture<Void> exit = new CompletableFuture<>();

        /** Calls of {@link #sample} (recording intervals closed) and {@link #sampleLive}. */
        final AtomicInteger samples = new AtomicInteger();

        final AtomicInteger liveSamples = new AtomicInteger();
        final long pid;
        final LongConsumer watchedExited;
        volatile int exitCode = 0;
        volatile boolean closed;

        FakeSession(long pid, LongConsumer watchedExited) {
            this.pid = pid;
            this.watchedExited = watchedExited;
        }

        /** Records on the recorder thread's behalf; fine in tests (one writer at a time). */
        synchronized void record(int ring, Kind kind, long ns) {
            recorders.record(ring, kind.wireId(), ns);
        }

        /** Simulates the agent dying with an exit code (e.g. 137 for SIGKILL). */
        void die(int code) {
            exitCode = code;
            exit.complete(null);
        }

        @Override
        public Map<String, String> hello() {
            return Map.of(
                    "input_hook",
                    "unavailable:fentry_refused_(EPERM);_kprobe:_ENOENT",
                    "cpus",
                    "2");
        }

        @Override
        public long agentPid() {
            return pid;
        }

        @Override
        public CompletableFuture<?> agentExit() {
            return exit;
        }

        @Override
        public String agentStderrTail() {
            return exit.isDone()
                    ? "\n  agent stderr:\n    gamer-agent: fatal: ring 3 mmap failed"
                    : "";
        }

        @Override
        public synchronized Snapshot sample() {
            samples.incrementAndGet();
            return sampler.sample();
        }

        @Override
        public synchronized Snapshot sampleLive() {
            liveSamples.incrementAndGet();
            return sampler.sampleLive();
        }

        @Override
        public void watch(long tgid) throws AgentException {
            calls.add("watch " + tgid);
        }

        @Override
        public void unwatch(long tgid) throws AgentException {
            calls.add("unwatch " + tgid);
        }

        /**
         * The kernel's sched_ext as this fake agent sees it: absent, disabled, enabled:gamer,
         * enabled:scx_rusty.
         */
        volatile String kernelSched = "absent";

        /** The session files a mark goes into (empty: nothing records). */
        volatile List<Path> recording = List.of();

        /** Answers like gamer-agent (docs/PROTOCOL.md, SCHED ON|OFF). */
        @Override
        public Reply sched(boolean on) {
            calls.add(Protocol.sched(on));
            String k = kernelSched;
            if (k.equals("absent")) {
                return Protocol.parseReply(
                        "ERR STATE sched_ext is absent: this kernel has no /sys/kernel/sched_ext"
                                + " (CONFIG_SCHED_CLASS_EXT); the agent runs monitor-only");
            }
            if (on && k.equals("disabled")) {
                kernelSched = "enabled:gamer";
                return Protocol.parseReply("OK SCHED ON gamer");
            }
            if (!on && k.equals("enabled:gamer")) {
                kernelSched = "disabled";
                return Protocol.parseReply("OK SCHED OFF");
            }
            return Protocol.parseReply(
                    on
                            ? "ERR STATE another sched_ext scheduler is enabled: scx_rusty; it is never"
                                    + " replaced, stop it first"
                            : "ERR STATE the gamer scheduler is not running (sched_ext: "
                                    + k
                                    + ")");
        }

        @Override
        public Map<String, String> status() {
            String k = kernelSched;
            return Map.of(
                    "sched",
                    k,
                    "sched_owner",
                    k.equals("enabled:gamer")
                            ? "agent"
                            : k.startsWith("enabled") ? "other" : "none");
        }

        @Override
        public List<Path> mark(String note) {
            calls.add("mark " + note);
            return recording;
        }

        @Override
        public synchronized void resetSession() {
            calls.add("reset");
            sampler.resetCumulative();
        }

        /** A "recording" is a name: the test checks when files start and end, not their bytes. */
        private Path recordingFile;

        @Override
        public Path startRecording(String target, long pid) {
            stopRecording();
            recordingFile = Path.of("/fake/" + target.replaceAll("[^a-z0-9]+", "-") + ".hlog");
            calls.add("record " + recordingFile);
            return recordingFile;
        }

        @Override
        public Optional<Path> stopRecording() {
            Optional<Path> was = Optional.ofNullable(recordingFile);
            was.ifPresent(f -> calls.add("saved " + f));
            recordingFile = null;
            return was;
        }

        /** Like the live session: start, watch, go; close unwatches and ends it. */
        @Override
        public Workload startSelftest() {
            long pid = nextSelftestPid++;
            calls.add("selftest " + pid);
            calls.add("watch " + pid);
            calls.add("go " + pid);
            return new Workload() {
                @Override
                public long pid() {
                    return pid;
                }

                @Override
                public void close() {
                    calls.add("unwatch " + pid);
                    calls.add("selftest-close " + pid);
                }
            };
        }

        @Override
        public int close() {
            closed = true;
            calls.add("close " + pid);
            return exit.isDone() ? exitCode : 0;
        }
    }

    @Override
    public boolean startAsksForAuthorisation() {
        return asksForAuthorisation;
    }

    @Override
    public Session start(LongConsumer watchedExited) throws AgentException {
        CountDownLatch gate = startGate;
        if (gate != null) {
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new AgentException("fake start: the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException("fake start interrupted");
            }
        }
        if (refuseWith != null) {
            throw new AgentException(refuseWith);
        }
        FakeSession s = new FakeSession(1000 + sessions.size(), watchedExited);
        sessions.add(s);
        return s;
    }

    FakeSession last() {
        return sessions.get(sessions.size() - 1);
    }

    List<String> callsSnapshot() {
        return new ArrayList<>(calls);
    }
}
