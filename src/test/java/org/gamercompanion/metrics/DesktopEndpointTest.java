package org.gamercompanion.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.recorder.TestEvents;
import org.junit.jupiter.api.Test;

/**
 * The window's endpoint: off until enabled, serves what its sessions reported, says why when the
 * port is taken.
 */
class DesktopEndpointTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesTheSessionsMetricsWhileOnAndNothingWhenOff() throws Exception {
        DesktopEndpoint e = new DesktopEndpoint(Listen.parse("127.0.0.1:0"));
        assertThat(e.url()).isEmpty();
        e.tap().sessionStarted(Map.of());
        e.tap().onLatency(TestEvents.of(Kind.INPUT_TO_RUN, 42, 0, 12_345));
        assertThat(e.enable(true)).isEmpty();
        String url = e.url().orElseThrow();
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.body())
                .contains(
                        "gamer_companion_latency_seconds_count{game=\"\",kind=\"input_to_run\",scheduler=");
        HttpResponse<String> health =
                http.send(
                        HttpRequest.newBuilder(URI.create(url.replace("/metrics", "/healthz")))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(e.enable(true)).isEmpty();
        assertThat(e.enable(false)).isEmpty();
        assertThat(e.url()).isEmpty();
    }

    @Test
    void aTakenPortIsALineForThePlayer() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DesktopEndpoint e =
                    new DesktopEndpoint(Listen.parse("127.0.0.1:" + taken.getLocalPort()));
            assertThat(e.enable(true))
                    .hasValueSatisfying(
                            m ->
                                    assertThat(m)
                                            .startsWith(
                                                    "metrics not served: cannot listen on 127.0.0.1:"
                                                            + taken.getLocalPort()));
            assertThat(e.url()).isEmpty();
        }
    }
}
