package org.gamercompanion.wrapper;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The wrapper's side of {@link WrapperServer}. */
public final class WrapperClient {
    private WrapperClient() {}

    /**
     * Asks the Gamer Companion serving {@code socket} to watch {@code pid}.
     *
     * @return the server's reply line ({@code OK ...} or {@code ERR ...}), or empty when none is
     *     running
     */
    public static Optional<String> watch(Path socket, long pid, Optional<String> profile) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            String line =
                    "WATCH " + pid + " " + profile.map(WrapperSocket::escape).orElse("-") + "\n";
            c.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(1024);
            while (c.read(buf) >= 0 && buf.hasRemaining()) {
                if (buf.position() > 0 && buf.get(buf.position() - 1) == '\n') {
                    break;
                }
            }
            String reply =
                    new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            return Optional.of(
                    reply.isEmpty()
                            ? "ERR the server closed the connection without answering"
                            : reply);
        } catch (IOException e) {
            return Optional.empty(); // a socket file without a server: nobody is running
        }
    }

    /** True if a Gamer Companion answers on {@code socket}. */
    public static boolean isServed(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
