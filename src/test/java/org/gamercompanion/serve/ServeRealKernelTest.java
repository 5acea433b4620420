package org.gamercompanion.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.gamercompanion.agent.NativeBinaries;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a daemon on the real kernel: behind basic auth and TLS on loopback, it serves
 * the self-test's histograms (game label from a profile, per-ring series) in all three formats,
 * keeps answering every scrape while its agent is killed and replaced, and stops cleanly on
 * SIGTERM.
 */
class ServeRealKernelTest {
    private static final String OPENMETRICS =
            "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
                    + " encoding=delimited";
    private static final String GAME = "Selftest Game";

    @TempDir Path tmp;

    @Test
    void servesEveryFormatBehindAuthAndTlsAndAnswersWhileItsAgentIsReplaced() throws Exception {
        assumeTrue(
                Privileges.canLoadBpf(),
                "real-kernel test skipped: serve needs root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN");
        assertThat(NativeBinaries.agent()).isExecutable();
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/openssl")),
                "TLS part skipped: openssl (to make a test certificate) missing");
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process openssl =
                new ProcessBuilder(
                                "/usr/bin/openssl",
                                "req",
                                "-x509",
                                "-newkey",
                                "ec",
                                "-pkeyopt",
                                "ec_paramgen_curve:prime256v1",
                                "-nodes",
                                "-days",
                                "2",
                                "-subj",
                                "/CN=localhost",
                                "-addext",
                                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                "-keyout",
                                key.toString(),
                                "-out",
                                cert.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("openssl.log").toFile())
                        .start();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0)
                .as(Files.readString(tmp.resolve("openssl.log")))
                .isTrue();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path password = tmp.resolve("password");
        Files.writeString(password, "s3cret horse\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path profiles = tmp.resolve("profiles");
        ProfileStore.open(profiles)
                .save(
                        Profile.named(GAME)
                                .withMatch(new Profile.Match(List.of("gamer-selftest"), 0, "")),
                        null);

        try (ServeProcess serve =
                ServeProcess.start(
                        tmp.resolve("serve.log"),
                        List.of(
                                "--listen",
                                "127.0.0.1:0",
                                "--selftest",
                                "--profiles",
                                "--profiles-dir",
                                profiles.toString(),
                                "--per-ring",
                                "--auth-user",
                                "prom",
                                "--auth-password-file",
                                password.toString(),
                                "--tls-cert",
                                cert.toString(),
                                "--tls-key",
                                key.toString(),
                                "--restart-backoff-ms",
                                "3000"),
                        trusting(cert),
                        "prom",
                        "s3cret horse")) {
            assertThat(serve.base).startsWith("https://127.0.0.1:");
            assertThat(serve.get("/healthz", null, null).statusCode()).isEqualTo(401);
            assertThat(serve.get("/metrics", null, "Basic cHJvbTp3cm9uZw==").statusCode())
                    .isEqualTo(401);
            assertThat(serve.get("/healthz", null).statusCode()).isEqualTo(200);

            String text = awaitMetrics(serve, t -> count(t, "input_to_run") > 0);
            assertThat(
                            PromText.value(
                                    text,
                                    "gamer_companion_ring_latency_seconds_count",
                                    "game",
                                    GAME))
                    .isPresent();
            assertThat(
                            PromText.value(
                                    text,
                                    "gamer_companion_scheduler_state",
                                    "gamer_companion_scheduler_state",
                                    "enabled"))
                    .isPresent();
            HttpResponse<String> om = serve.get("/metrics", OPENMETRICS);
            assertThat(om.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/openmetrics-text");
            assertThat(om.body())
                    .contains("# TYPE gamer_companion_agent_state stateset")
                    .endsWith("# EOF\n");
            HttpResponse<String> pb = serve.get("/metrics", PROTOBUF);
            assertThat(pb.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/vnd.google.protobuf");

            long before = count(text, "input_to_run");
            ProcessHandle.of(serve.firstAgentPid).orElseThrow().destroyForcibly();
            // Restarting (3 s backoff here): health says so, and /metrics still answers with what
            // was measured.
            HttpResponse<String> down = awaitHealth(serve, 503);
            assertThat(down.body()).startsWith("restarting: the agent died (signal 9)");
            String during = serve.get("/metrics", null).body();
            assertThat(
                            PromText.value(
                                    during,
                                    "gamer_companion_agent_state",
                                    "gamer_companion_agent_state",
                                    "restarting"))
                    .as(during)
                    .hasValue(1);
            assertThat(count(during, "input_to_run")).isGreaterThanOrEqualTo(before);
            awaitHealth(serve, 200);
            String after = awaitMetrics(serve, t -> count(t, "input_to_run") > before);
            assertThat(PromText.value(after, "gamer_companion_agent_restarts_total")).hasValue(1);
            assertThat(serve.log()).contains("agent restarted (pid ");
        }
    }

    private static long count(String text, String kind) {
        return (long)
                PromText.value(
                                text,
                                "gamer_companion_latency_seconds_count",
                                "game",
                                GAME,
                                "kind",
                                kind)
                        .orElse(0);
    }

    private static String awaitMetrics(ServeProcess serve, Predicate<String> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> r = serve.get("/metrics", null);
            assertThat(r.statusCode()).isEqualTo(200);
            if (done.test(r.body())) {
                return r.body();
            }
            assertThat(System.nanoTime())
                    .as("metrics never got there; last:\n" + r.body() + "\nlog:\n" + serve.log())
                    .isLessThan(deadline);
            serve.pace();
        }
    }

    private static HttpResponse<String> awaitHealth(ServeProcess serve, int status)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> r = serve.get("/healthz", null);
            if (r.statusCode() == status) {
                return r;
            }
            assertThat(System.nanoTime())
                    .as(
                            "/healthz never answered "
                                    + status
                                    + "; last: "
                                    + r.body()
                                    + "\nlog:\n"
                                    + serve.log())
                    .isLessThan(deadline);
            serve.pace();
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry(
                "serve",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
