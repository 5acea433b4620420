package org.gamercompanion.metrics;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The HTTP side of the collector: {@code /metrics} (the Prometheus Java client's handler: the text
 * format, OpenMetrics, or protobuf with native histograms, as the scraper's Accept header asks) and
 * {@code /healthz} (200 while the agent runs, 503 with the agent's state otherwise), optionally
 * behind HTTP basic auth and/or TLS (the client's {@code authenticator} and {@code
 * httpsConfigurator}: the JDK's HTTP server does both). Every path answers from data already in
 * memory, so a scrape never waits for the agent.
 *
 * <pre>{@code
 * try (MetricsEndpoint e = MetricsEndpoint.start(Listen.parse("127.0.0.1:9464"), Access.OPEN, registry,
 *         metrics::health)) {
 *     System.err.println("serving " + e.url("/metrics"));
 * }
 * }</pre>
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** The realm basic auth names in its challenge. */
    static final String REALM = "gamer-companion";

    /**
     * Who may scrape: anyone who reaches the address, a user with the password, and/or over TLS.
     *
     * @param user basic auth user; null: no basic auth
     * @param password its password (UTF-8 bytes); null exactly when {@code user} is
     * @param tls serve HTTPS with this context; null: plain HTTP
     */
    public record Access(String user, byte[] password, SSLContext tls) {
        public static final Access OPEN = new Access(null, null, null);

        public boolean basicAuth() {
            return user != null;
        }

        /** Basic auth or TLS: what a non-loopback address requires. */
        public boolean protectedAccess() {
            return user != null || tls != null;
        }
    }

    /** The address could not be served: in use, not on this machine, or not allowed. */
    public static final class BindFailure extends IOException {
        BindFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HTTPServer server;
    private final InetSocketAddress address;
    private final boolean tls;

    private MetricsEndpoint(HTTPServer server, InetSocketAddress address, boolean tls) {
        this.server = server;
        this.address = address;
        this.tls = tls;
    }

    /**
     * Binds and starts serving.
     *
     * @throws BindFailure with a message that names the address and what to do
     */
    public static MetricsEndpoint start(
            Listen listen,
            Access access,
            PrometheusRegistry registry,
            Supplier<LatencyMetrics.Health> health)
            throws BindFailure {
        HTTPServer.Builder b =
                HTTPServer.builder()
                        .inetAddress(listen.address())
                        .port(listen.port())
                        .registry(registry)
                        .defaultHandler(exchange -> root(exchange, health));
        if (access.basicAuth()) {
            b.authenticator(
                    new BasicAuthenticator(REALM, StandardCharsets.UTF_8) {
                        @Override
                        public boolean checkCredentials(String user, String password) {
                            // Constant time in the password, so its length and prefix do not leak
                            // through timing.
                            boolean userOk =
                                    MessageDigest.isEqual(
                                            user.getBytes(StandardCharsets.UTF_8),
                                            access.user().getBytes(StandardCharsets.UTF_8));
                            boolean passwordOk =
                                    MessageDigest.isEqual(
                                            password.getBytes(StandardCharsets.UTF_8),
                                            access.password());
                            return userOk & passwordOk;
                        }
                    });
        }
        if (access.tls() != null) {
            b.httpsConfigurator(new HttpsConfigurator(access.tls()));
        }
        try {
            HTTPServer server = b.buildAndStart();
            return new MetricsEndpoint(
                    server,
                    new InetSocketAddress(listen.address(), server.getPort()),
                    access.tls() != null);
        } catch (BindException e) {
            String why = e.getMessage() == null ? "" : e.getMessage();
            String hint =
                    why.contains("in use")
                            ? "another program serves that port (ss -ltnp shows which); choose another"
                                    + " port with --listen or listen = in the config"
                            : why.contains("assign")
                                    ? "that address is not on this machine (ip -br addr lists them)"
                                    : "check the address";
            throw new BindFailure("cannot listen on " + listen + ": " + why + "; " + hint, e);
        } catch (SocketException e) {
            throw new BindFailure("cannot listen on " + listen + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BindFailure(
                    "cannot start the HTTP server on " + listen + ": " + e.getMessage(), e);
        }
    }

    /** {@code /healthz}, and a short index at {@code /}; 404 elsewhere. */
    private static void root(HttpExchange exchange, Supplier<LatencyMetrics.Health> health)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int status;
            String body;
            if (path.equals("/healthz")) {
                LatencyMetrics.Health h = health.get();
                status = h.healthy() ? 200 : 503;
                body = h.text() + "\n";
            } else if (path.equals("/")) {
                status = 200;
                body =
                        "gamer-companion collector: /metrics (Prometheus, OpenMetrics, protobuf with native histograms),"
                                + " /healthz\n";
            } else {
                status = 404;
                body = "not found: " + path + " (try /metrics or /healthz)\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The URL of {@code path} here, e.g. {@code http://127.0.0.1:9464/metrics}. */
    public String url(String path) {
        InetAddress a = address.getAddress();
        String host =
                a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return (tls ? "https://" : "http://") + host + ":" + address.getPort() + path;
    }

    @Override
    public void close() {
        server.close();
    }
}
