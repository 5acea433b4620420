package org.gamercompanion.wrapper;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.detect.GameDetector;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;

/**
 * The per-user socket a running Gamer Companion (window or {@code record --profiles}) serves for
 * {@code run}: one line {@code WATCH <pid> <profile or ->} (profile name escaped like agent paths)
 * per connection, answered {@code OK <text>} or {@code ERR <text>}. Peers of another user are
 * closed unanswered (SO_PEERCRED).
 *
 * <pre>{@code
 * try (WrapperServer s = WrapperServer.start(WrapperSocket.defaultPath(), (pid, profile) -> detector.adopt(...))) { ... }
 * }</pre>
 */
public final class WrapperServer implements AutoCloseable {
    /**
     * Handles one request on the server's thread; returns null on success or the error for the
     * wrapper.
     */
    @FunctionalInterface
    public interface Handler {
        String watch(long pid, Optional<String> profileName);
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile boolean closed;

    private WrapperServer(Path path, ServerSocketChannel server, Handler handler) {
        this.path = path;
        this.server = server;
        this.thread =
                Thread.ofPlatform().daemon().name("wrapper-socket").unstarted(() -> loop(handler));
    }

    /**
     * Listens on {@code path}. A socket file left by a process that died is replaced; one that
     * answers (another Gamer Companion of this user) is not: then this fails.
     */
    public static WrapperServer start(Path path, Handler handler) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(path)) {
            if (WrapperClient.isServed(path)) {
                throw new IOException(
                        path
                                + " is served by another Gamer Companion; the wrapper talks to that one");
            }
            Files.delete(path);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        WrapperServer ws = new WrapperServer(path, s, handler);
        ws.thread.start();
        return ws;
    }

    /**
     * Serves {@code socket} for a detector: {@code run --profile NAME} adopts the child with that
     * profile of {@code store}; plain {@code run} adopts it with a profile named after its pid
     * (watched, default settings).
     *
     * @return the server, or null (reported through {@code log}) when the socket cannot be served,
     *     e.g. because another Gamer Companion of this user serves it
     */
    public static WrapperServer serveDetector(
            Path socket, ProfileStore store, GameDetector detector, Consumer<String> log) {
        try {
            return start(
                    socket,
                    (pid, name) -> {
                        if (name.isEmpty()) {
                            detector.adopt(pid, Profile.named("run: pid " + pid));
                            return null;
                        }
                        try {
                            Optional<ProfileStore.Entry> e = store.list().find(name.get());
                            if (e.isEmpty()) {
                                return "no profile named \"" + name.get() + "\" in " + store.dir();
                            }
                            detector.adopt(pid, e.get().profile());
                            return null;
                        } catch (IOException ex) {
                            return "cannot read " + store.dir() + ": " + ex.getMessage();
                        }
                    });
        } catch (IOException e) {
            log.accept("launch wrapper socket not served: " + e.getMessage());
            return null;
        }
    }

    public Path path() {
        return path;
    }

    private void loop(Handler handler) {
        String me = System.getProperty("user.name");
        while (!closed) {
            try (SocketChannel c = server.accept()) {
                UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
                if (!peer.user().getName().equals(me)) {
                    continue;
                }
                String line = readLine(c);
                if (line == null) {
                    continue; // a probe (WrapperClient.isServed) or a client that gave up
                }
                String reply = answer(line, handler);
                c.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.err.println("gamer-companion: wrapper socket: " + e.getMessage());
                }
            }
        }
    }

    static String answer(String line, Handler handler) {
        String[] t = line == null ? new String[0] : line.split(" ", -1);
        if (t.length != 3 || !t[0].equals("WATCH") || !t[1].matches("[1-9][0-9]{0,9}")) {
            return "ERR expected 'WATCH <pid> <profile or ->'";
        }
        long pid = Long.parseLong(t[1]);
        Optional<String> profile =
                t[2].equals("-") ? Optional.empty() : Optional.of(Protocol.unescape(t[2]));
        String err = handler.watch(pid, profile);
        return err == null ? "OK watching " + pid : "ERR " + err.replace('\n', ' ');
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        while (buf.hasRemaining()) {
            if (c.read(buf) < 0) {
                break;
            }
            byte[] a = buf.array();
            for (int i = 0; i < buf.position(); i++) {
                if (a[i] == '\n') {
                    return new String(a, 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            thread.join(2000);
            Files.deleteIfExists(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a leftover socket file is replaced by the next server
        }
    }
}
