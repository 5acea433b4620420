package org.gamercompanion.metrics;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the collector listens: an IP address (v4, or v6 in brackets) or {@code localhost}, and a
 * port. Host names other than {@code localhost} are refused rather than resolved: a collector must
 * not bind wherever a DNS answer points, nor wait for one.
 *
 * @param port 1..65535, or 0 for a free port the kernel picks (tests; the chosen one is logged)
 */
public record Listen(InetAddress address, int port) {
    /**
     * Prometheus's registered default port range has 9464 for "Prometheus exporters"; loopback by
     * default.
     */
    public static final String DEFAULT = "127.0.0.1:9464";

    private static final Pattern FORM =
            Pattern.compile("^(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})$");

    /**
     * Parses {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException saying what is wrong, with an example of the right form
     */
    public static Listen parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464,"
                            + " 0.0.0.0:9464)");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (was " + port + ")");
        }
        InetAddress address;
        if (host.equals("localhost")) {
            address = InetAddress.getLoopbackAddress();
        } else {
            boolean v6 = m.group(1) != null;
            if (!v6 && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException(
                        "'"
                                + host
                                + "' is not an IP address (host names other than localhost"
                                + " are not resolved; give the address, e.g. 192.0.2.10 or [2001:db8::10])");
            }
            try {
                // Literals only: never a name lookup.
                address = v6 ? Inet6Address.ofLiteral(host) : Inet4Address.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "'" + host + "' is not a valid IP" + (v6 ? "v6" : "v4") + " address");
            }
        }
        return new Listen(address, port);
    }

    /** Only this machine can connect: 127.0.0.0/8 or ::1. */
    public boolean loopback() {
        return address.isLoopbackAddress();
    }

    @Override
    public String toString() {
        String h =
                address instanceof Inet6Address
                        ? "[" + address.getHostAddress() + "]"
                        : address.getHostAddress();
        return h + ":" + port;
    }
}
