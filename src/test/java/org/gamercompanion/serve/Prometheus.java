package org.gamercompanion.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One real Prometheus (Debian's {@code /usr/bin/prometheus}) on loopback, with a temporary config
 * that scrapes one target every second and a temporary data folder; stopped by its pid.
 */
final class Prometheus implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;
    private final String base;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Prometheus(Process process, String base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * @param dir its config, data and log go here
     * @param target HOST:PORT of the collector
     * @param nativeHistograms start with {@code --enable-feature=native-histograms}
     */
    static Prometheus start(Path dir, String target, boolean nativeHistograms) throws Exception {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: gamer-companion
                    static_configs:
                      - targets: ["%s"]
                """
                        .formatted(target));
        int port;
        // A free port for the web API: taken and given back just before Prometheus takes it
        // (loopback only).
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                BINARY.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port,
                                "--storage.tsdb.retention.time=1h",
                                "--log.level=warn"));
        if (nativeHistograms) {
            cmd.add("--enable-feature=native-histograms");
        }
        Path log = dir.resolve("prometheus.log");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        Prometheus prom = new Prometheus(p, "http://127.0.0.1:" + port, log);
        prom.awaitReady();
        return prom;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertThat(process.isAlive())
                    .as("prometheus exited:\n" + Files.readString(log))
                    .isTrue();
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertThat(System.nanoTime())
                    .as("prometheus not ready in 60 s:\n" + Files.readString(log))
                    .isLessThan(deadline);
            process.waitFor(50, TimeUnit.MILLISECONDS); // returns early if it dies: checked above
        }
    }

    /**
     * An instant query at {@code timeSeconds} (Unix time); the API's {@code data} object. Fails on
     * an API error (a query that does not parse) with Prometheus's own message.
     */
    JsonNode query(String promql, double timeSeconds) throws IOException, InterruptedException {
        String url =
                base
                        + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                        + "&time="
                        + String.format(Locale.US, "%.3f", timeSeconds);
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode j = new ObjectMapper().readTree(r.body());
        assertThat(j.path("status").asText()).as(promql + " -> " + r.body()).isEqualTo("success");
        return j.get("data");
    }

    /** The one value of a scalar-like instant vector, or NaN when the vector is empty. */
    double value(String promql, double timeSeconds) throws IOException, InterruptedException {
        JsonNode result = query(promql, timeSeconds).get("result");
        assertThat(result.size()).as(promql + " -> " + result).isLessThanOrEqualTo(1);
        return result.isEmpty()
                ? Double.NaN
                : Double.parseDouble(result.get(0).get("value").get(1).asText());
    }

    /** Paces a poll: 20 ms, or less when Prometheus exits. */
    void pace() throws InterruptedException {
        process.waitFor(20, TimeUnit.MILLISECONDS);
    }

    /** Stops it by its pid (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
