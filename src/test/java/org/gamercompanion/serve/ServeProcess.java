package org.gamercompanion.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * {@code serve} as its own process, as systemd runs it: this JVM's class path, its output in a log
 * file. {@link #start} returns once serve says where it serves (or fails with its log when it exits
 * first); {@link #close} stops it with SIGTERM and checks how it ended and that it leaves no child.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern SERVING =
            Pattern.compile("serving (https?://\\S+)/metrics .*\\(agent pid (\\d+)\\)");

    final Process process;
    final String base;
    final long firstAgentPid;
    private final Path log;
    private final HttpClient http;
    private final String authorization;

    private ServeProcess(
            Process process,
            String base,
            long agentPid,
            Path log,
            HttpClient http,
            String authorization) {
        this.process = process;
        this.base = base;
        this.firstAgentPid = agentPid;
        this.log = log;
        this.http = http;
        this.authorization = authorization;
    }

    /**
     * @param tls trust for the server's certificate (null: plain HTTP)
     * @param user, password basic auth credentials to send (null: none)
     */
    static ServeProcess start(
            Path log, List<String> args, SSLContext tls, String user, String password)
            throws Exception {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-XX:+UseSerialGC",
                                "-Dgc.native.dir=" + System.getProperty("gc.native.dir"),
                                "-cp",
                                cp,
                                "org.gamercompanion.Main",
                                "serve"));
        cmd.addAll(args);
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        p.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher m;
        while (!(m = SERVING.matcher(Files.readString(log))).find()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("serve did not start:\n" + Files.readString(log));
            }
            p.waitFor(50, TimeUnit.MILLISECONDS); // returns at once if serve exits
        }
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            hb.sslContext(tls);
        }
        String auth =
                user == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (user + ":" + password)
                                                        .getBytes(StandardCharsets.UTF_8));
        return new ServeProcess(p, m.group(1), Long.parseLong(m.group(2)), log, hb.build(), auth);
    }

    /** GET {@code path}; every answer must come within 10 s (a scrape never hangs). */
    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return get(path, accept, authorization);
    }

    HttpResponse<String> get(String path, String accept, String auth)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Paces a poll: 20 ms, or less when serve exits (which the poll's next request then sees). */
    void pace() throws InterruptedException {
        process.waitFor(20, TimeUnit.MILLISECONDS);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * SIGTERM; serve must stop its agent and end with 143 (128 + SIGTERM), leaving no process of
     * its own behind.
     */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("serve exits after SIGTERM\n" + log())
                .isTrue();
        assertThat(process.exitValue()).as("exit status after SIGTERM\n" + log()).isEqualTo(143);
        assertThat(log()).contains("serve: stopped");
        for (ProcessHandle c : children) {
            c.onExit().get(10, TimeUnit.SECONDS);
        }
    }
}
