package org.gamercompanion.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import org.gamercompanion.session.CaptureSession;

/**
 * The window's {@code /metrics} (Settings: "Serve latency metrics for Prometheus", off by default):
 * the same metrics as {@code serve}, fed by every capture session the window starts, on {@link
 * Listen#DEFAULT} only (loopback: a LAN-wide collector is {@code serve}'s job, with its auth and
 * TLS). The metrics are kept while the endpoint is off, so turning it on shows the whole session.
 *
 * <pre>{@code
 * DesktopEndpoint metrics = new DesktopEndpoint();
 * backend.tap(metrics.tap());                  // before the first session starts
 * metrics.enable(true).ifPresent(model::say);  // a line for the player when it could not start
 * }</pre>
 */
public final class DesktopEndpoint {
    private final LatencyMetrics metrics = LatencyMetrics.create(LatencyMetrics.Options.defaults());
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Listen listen;
    private MetricsEndpoint endpoint;

    public DesktopEndpoint() {
        this(Listen.parse(Listen.DEFAULT));
    }

    /** On another loopback address (tests: port 0). */
    DesktopEndpoint(Listen listen) {
        this.listen = listen;
        registry.register(metrics);
        metrics.agentState(LatencyMetrics.AgentState.STOPPED, "no agent yet: the window starts it");
    }

    /** What the window's capture sessions report to. */
    public CaptureSession.Tap tap() {
        return metrics;
    }

    /**
     * Serves or stops serving; does nothing when already so.
     *
     * @return a line for the player when serving could not start (the port is taken), else empty
     */
    public synchronized Optional<String> enable(boolean on) {
        if (on == (endpoint != null)) {
            return Optional.empty();
        }
        if (!on) {
            endpoint.close();
            endpoint = null;
            return Optional.empty();
        }
        try {
            endpoint =
                    MetricsEndpoint.start(
                            listen, MetricsEndpoint.Access.OPEN, registry, metrics::health);
            return Optional.empty();
        } catch (MetricsEndpoint.BindFailure e) {
            return Optional.of("metrics not served: " + e.getMessage());
        }
    }

    /** Where it serves, while it does. */
    public synchronized Optional<String> url() {
        return endpoint == null ? Optional.empty() : Optional.of(endpoint.url("/metrics"));
    }
}
