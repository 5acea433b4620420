package org.gamercompanion.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gamercompanion.metrics.Listen;
import org.gamercompanion.serve.Collector;
import org.gamercompanion.serve.CollectorConfig;
import org.gamercompanion.serve.ServeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: the headless collector (docs/COLLECTOR.md). Flags override the config file. Exit
 * status 64 for bad flags or config, 69 when the port, a file or the agent cannot be had; SIGTERM
 * and SIGINT stop the agent and close the port, then the JVM ends with 143 or 130.
 */
@Command(
        name = "serve",
        exitCodeOnInvalidInput = ServeException.USAGE,
        description = {
            "Headless collector: runs the agent and serves the latency histograms to Prometheus.",
            "/metrics answers in the Prometheus text format, OpenMetrics, or protobuf with native histograms;"
                    + " /healthz says whether the agent runs. Loopback only unless --allow-remote, which then needs"
                    + " basic auth or TLS. Docs: docs/COLLECTOR.md."
        })
final class ServeCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Config file (TOML; the package's unit uses /etc/gamer-companion/collector.toml). Flags win.")
    Path config;

    @Option(
            names = "--listen",
            paramLabel = "ADDR",
            description = "HOST:PORT to serve (default " + Listen.DEFAULT + ").")
    String listen;

    @Option(
            names = "--allow-remote",
            description = "Allow a non-loopback --listen address; it then needs basic auth or TLS.")
    boolean allowRemote;

    @Option(names = "--auth-user", paramLabel = "USER", description = "HTTP basic auth user.")
    String authUser;

    @Option(
            names = "--auth-password-file",
            paramLabel = "FILE",
            description = "Its password (first line; mode 0600).")
    Path authPasswordFile;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "Serve HTTPS with this PEM certificate (chain).")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "Its PEM PKCS#8 private key (mode 0600).")
    Path tlsKey;

    @Option(
            names = "--profiles",
            description = "Detect games by their profiles, watch them and label them game=NAME.")
    boolean profiles;

    @Option(
            names = "--profiles-dir",
            paramLabel = "DIR",
            description = "Profile directory (default $XDG_CONFIG_HOME/gamer-companion/profiles).")
    Path profilesDir;

    @Option(
            names = "--selftest",
            description = "Run the built-in game-like workload with synthetic inputs and watch it.")
    boolean selftest;

    @Option(names = "--watch", paramLabel = "PID", description = "Watch this process (repeatable).")
    List<Long> watch = new ArrayList<>();

    @Option(
            names = "--per-ring",
            description = "Also export one histogram per ring buffer (16x the series).")
    boolean perRing;

    @Option(
            names = "--native-schema",
            paramLabel = "N",
            description =
                    "Native histogram resolution, -4..8 (default 8: buckets 0.27%% wide; each step down halves it).")
    Integer nativeSchema;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show the agent's log.")
    boolean verbose;

    @Option(
            names = "--restart-backoff-ms",
            hidden = true,
            defaultValue = "1000",
            description = "First wait before a new agent after one died (tests).")
    long restartBackoffMs;

    @Override
    public Integer call() {
        Collector collector;
        try {
            collector =
                    Collector.start(
                            config(),
                            new Collector.Request(
                                    watch, selftest, verbose, Math.max(1, restartBackoffMs)),
                            System.err);
        } catch (ServeException e) {
            System.err.println("gamer-companion: serve: " + e.getMessage());
            return e.exitStatus();
        }
        // SIGTERM/SIGINT: the JVM runs this hook, which lets run() stop the agent and close the
        // port before
        // the JVM ends (exit status 143 or 130, as every JVM service; the unit counts 143 as
        // success).
        Thread hook =
                Thread.ofPlatform()
                        .name("serve-stop")
                        .unstarted(
                                () -> {
                                    collector.stop();
                                    try {
                                        if (!collector.awaitDone(20_000)) {
                                            System.err.println(
                                                    "gamer-companion: serve: did not stop within 20 s; exiting anyway");
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println(
                "gamer-companion: serve: serving "
                        + collector.url("/metrics")
                        + " and /healthz (agent pid "
                        + collector.agentPid()
                        + ")");
        try {
            collector.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The config file (if any) with the flags on top. */
    private CollectorConfig config() throws ServeException {
        CollectorConfig c =
                config != null ? CollectorConfig.load(config) : CollectorConfig.defaults();
        if (listen != null) {
            try {
                c = c.withListen(Listen.parse(listen));
            } catch (IllegalArgumentException e) {
                throw usage("--listen " + listen + ": " + e.getMessage());
            }
        }
        if (allowRemote) {
            c = c.withAllowRemote();
        }
        if ((authUser == null) != (authPasswordFile == null)) {
            throw usage("--auth-user and --auth-password-file go together");
        }
        if (authUser != null) {
            if (authUser.isEmpty() || authUser.contains(":")) {
                throw usage("--auth-user must be non-empty and without ':' (HTTP basic auth)");
            }
            c = c.withAuth(authUser, authPasswordFile.toAbsolutePath());
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw usage("--tls-cert and --tls-key go together");
        }
        if (tlsCert != null) {
            c = c.withTls(tlsCert.toAbsolutePath(), tlsKey.toAbsolutePath());
        }
        if (profiles || profilesDir != null) {
            c = c.withProfiles(true, profilesDir);
        }
        if (perRing) {
            c = c.withPerRing();
        }
        if (nativeSchema != null) {
            if (nativeSchema < -4 || nativeSchema > 8) {
                throw usage("--native-schema must be -4..8 (was " + nativeSchema + ")");
            }
            c = c.withNativeSchema(nativeSchema);
        }
        return c;
    }

    private static ServeException usage(String message) {
        return ServeException.usage(message);
    }
}
