package org.gamercompanion.serve;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.metrics.LatencyMetrics;
import org.gamercompanion.metrics.MetricsEndpoint;
import org.gamercompanion.profile.ProfileStore;
import org.gamercompanion.selftest.SelftestWorkload;
import org.gamercompanion.session.CaptureSession;

/**
 * The headless collector behind {@code serve}: one {@link CaptureSession} at a time feeding one
 * {@link LatencyMetrics}, served by a {@link MetricsEndpoint}.
 *
 * <p>Start-up is all or nothing: the config is checked, the secrets read, the port bound and the
 * agent started, in that order, and any failure undoes what was done and ends {@link #start} with a
 * {@link ServeException} (64 or 69). Once it runs, an agent that dies is replaced: the state set
 * {@code gamer_companion_agent_state} says {@code restarting} and {@code /healthz} answers 503
 * until the new one runs; the wait between attempts doubles from {@code restartBackoffMillis} up to
 * {@link #MAX_BACKOFF_MILLIS}. Scrapes are answered throughout from what was measured so far.
 *
 * <pre>{@code
 * Collector c = Collector.start(config, request, System.err);   // bound, agent running
 * c.run();                                                       // until stop() (SIGTERM)
 * }</pre>
 */
public final class Collector {
    static final long MAX_BACKOFF_MILLIS = 30_000;

    /** An agent that ran this long without dying resets the backoff. */
    static final long STABLE_MILLIS = 60_000;

    /** The self-test workload's run; serve starts another when one ends. */
    static final double SELFTEST_SECONDS = 3600;

    /**
     * What to measure, besides the config.
     *
     * @param watch processes to watch from the start (and again after an agent restart, while they
     *     live)
     * @param selftest run the self-test workload and watch it
     * @param restartBackoffMillis the first wait before a new agent after one died
     */
    public record Request(
            List<Long> watch, boolean selftest, boolean verbose, long restartBackoffMillis) {
        public Request {
            watch = List.copyOf(watch);
        }
    }

    private final CollectorConfig config;
    private final Request request;
    private final PrintStream log;
    private final LatencyMetrics metrics;
    private final MetricsEndpoint endpoint;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private CaptureSession session;
    private SelftestWorkload workload;

    private Collector(
            CollectorConfig config,
            Request request,
            PrintStream log,
            LatencyMetrics metrics,
            MetricsEndpoint endpoint,
            CaptureSession session) {
        this.config = config;
        this.request = request;
        this.log = log;
        this.metrics = metrics;
        this.endpoint = endpoint;
        this.session = session;
    }

    /**
     * Checks, binds and starts the first agent.
     *
     * @throws ServeException 64 for bad flags or config, 69 when the port, a file or the agent
     *     cannot be had; nothing is left running then
     */
    public static Collector start(CollectorConfig config, Request request, PrintStream log)
            throws ServeException {
        config.check();
        for (long pid : request.watch()) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw ServeException.usage("--watch " + pid + ": no such process");
            }
        }
        MetricsEndpoint.Access access = Secrets.access(config);
        LatencyMetrics metrics =
                LatencyMetrics.create(
                        new LatencyMetrics.Options(config.perRing(), config.nativeSchema()));
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        MetricsEndpoint endpoint;
        try {
            endpoint = MetricsEndpoint.start(config.listen(), access, registry, metrics::health);
        } catch (MetricsEndpoint.BindFailure e) {
            throw ServeException.unavailable(e.getMessage(), e);
        }
        if (!Privileges.canLoadBpf()) {
            endpoint.close();
            // A daemon must not sit on a polkit password prompt (nor ask again at every agent
            // restart).
            throw ServeException.unavailable(
                    "serve needs to load BPF programs itself: "
                            + Privileges.missingReason()
                            + "; run it as root (sudo gamer-companion serve, or the packaged gamer-companion-collector unit)",
                    null);
        }
        Collector c = new Collector(config, request, log, metrics, endpoint, null);
        try {
            c.session = c.startSession();
        } catch (AgentException e) {
            endpoint.close();
            throw ServeException.unavailable("cannot start the agent: " + e.getMessage(), e);
        }
        return c;
    }

    /** Where it serves, e.g. {@code http://127.0.0.1:9464/metrics}. */
    public String url(String path) {
        return endpoint.url(path);
    }

    public long agentPid() {
        CaptureSession s = session;
        return s == null ? -1 : s.agentPid();
    }

    /**
     * Runs until {@link #stop}: samples once a second (counters, scheduler), replaces a dead agent,
     * keeps the self-test running. Then stops the agent and the endpoint.
     */
    public void run() throws InterruptedException {
        try {
            long backoff = request.restartBackoffMillis();
            long startedNs = System.nanoTime();
            while (stop.getCount() > 0) {
                Optional<String> died = tick();
                if (died.isEmpty()) {
                    continue;
                }
                if ((System.nanoTime() - startedNs) / 1_000_000 >= STABLE_MILLIS) {
                    backoff = request.restartBackoffMillis();
                }
                String why = died.get();
                metrics.agentState(
                        LatencyMetrics.AgentState.RESTARTING,
                        why
                                + "; a new agent starts in "
                                + String.format(Locale.US, "%.1f", backoff / 1000.0)
                                + " s");
                log.println(
                        "gamer-companion: serve: "
                                + why
                                + "; starting a new agent in "
                                + backoff
                                + " ms");
                endSession();
                while (stop.getCount() > 0 && session == null) {
                    if (stop.await(backoff, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                    try {
                        session = startSession();
                        startedNs = System.nanoTime();
                        log.println(
                                "gamer-companion: serve: agent restarted (pid "
                                        + session.agentPid()
                                        + ")");
                    } catch (AgentException e) {
                        metrics.agentState(
                                LatencyMetrics.AgentState.RESTARTING,
                                "cannot start the agent: "
                                        + e.getMessage()
                                        + "; next attempt in "
                                        + backoff
                                        + " ms");
                        log.println(
                                "gamer-companion: serve: cannot start the agent: "
                                        + e.getMessage()
                                        + "; next attempt in "
                                        + backoff
                                        + " ms");
                    }
                }
            }
        } finally {
            endSession();
            metrics.agentState(LatencyMetrics.AgentState.STOPPED, "collector stopped");
            endpoint.close();
            // Before done: after a signal the JVM ends as soon as the shutdown hook sees done.
            log.println("gamer-companion: serve: stopped");
            done.countDown();
        }
    }

    /** Asks {@link #run} to end; returns at once. */
    public void stop() {
        stop.countDown();
    }

    /** Waits until {@link #run} has stopped the agent and the endpoint. */
    public boolean awaitDone(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** One second of running: ends early when the agent dies or {@link #stop} is called. */
    private Optional<String> tick() throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        Optional<String> died = Optional.empty();
        while (stop.getCount() > 0 && died.isEmpty() && System.nanoTime() < deadline) {
            died =
                    session.awaitAgentExit(
                            Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        session.sample();
        if (died.isEmpty() && request.selftest() && !workloadAlive()) {
            try {
                restartSelftest();
            } catch (AgentException e) {
                log.println(
                        "gamer-companion: serve: cannot restart the self-test workload: "
                                + e.getMessage());
            }
        }
        return died;
    }

    private CaptureSession startSession() throws AgentException {
        CaptureSession.Options options =
                CaptureSession.Options.plain()
                        .verbose(request.verbose())
                        .withTap(metrics)
                        .withLog(line -> log.println("gamer-companion: serve: " + line));
        if (config.profiles()) {
            options =
                    options.withProfiles(
                            ProfileStore.open(
                                    config.profilesDir() != null
                                            ? config.profilesDir()
                                            : ProfileStore.defaultDir()));
        }
        CaptureSession s =
                CaptureSession.start(
                        options,
                        new CaptureSession.Listener() {
                            @Override
                            public void sched(Protocol.Sched line) {
                                if (line.hasExit()) {
                                    log.printf(
                                            "gamer-companion: serve: scheduler %s exited: %s (%s): %s%n",
                                            line.ops(), line.exitKind(), line.reason(), line.msg());
                                }
                            }
                        });
        try {
            List<Long> gone = new ArrayList<>();
            for (long pid : request.watch()) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    s.watch(pid);
                } else {
                    gone.add(pid);
                }
            }
            if (!gone.isEmpty()) {
                log.println("gamer-companion: serve: no longer watching " + gone + ": exited");
            }
            if (request.selftest()) {
                workload = s.startSelftest(SelftestWorkload.Options.forSeconds(SELFTEST_SECONDS));
            }
        } catch (AgentException | RuntimeException e) {
            s.stop();
            throw e;
        }
        return s;
    }

    private boolean workloadAlive() {
        return workload != null
                && ProcessHandle.of(workload.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private void restartSelftest() throws AgentException {
        if (workload != null) {
            session.stopSelftest(workload);
        }
        workload = session.startSelftest(SelftestWorkload.Options.forSeconds(SELFTEST_SECONDS));
    }

    private void endSession() {
        if (session != null) {
            session.stop();
            session = null;
            workload = null;
        }
    }
}
