package org.gamercompanion.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.gamercompanion.sys.Fds;
import org.gamercompanion.sys.SeqPacketSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Same-run comparison with libbpf (docs/PERFORMANCE.md): the real agent, started with {@code
 * --bench}, fills all 16 rings with {@code BENCH FILL ALL n} and drains them with libbpf's
 * {@code ring_buffer__consume} ({@code BENCH CONSUME 0}); then it fills them again and this
 * process drains them through the fds it received after {@code HELLO}. Printed, never asserted.
 * Run with {@code -Dgc.bench=true} (root; gamer-agent in {@code gc.native.dir}). The agent fills
 * and consumes on one thread, so its consumer finds the data in its own core's caches; pin with
 * {@code taskset} for a like-for-like number.
 */
@EnabledIfSystemProperty(named = "gc.bench", matches = "true")
class LibbpfComparisonBenchmark {
    private static final int RING_KIB = 4096;
    private static final int FILL_PER_RING = 100_000;
    private static final int ROUNDS = 12;

    @Test
    void javaDrainRateNextToLibbpfOnTheSameRings() throws Exception {
        Path agentBinary = Path.of(System.getProperty("gc.native.dir", "native-agent/build"), "gamer-agent");
        String name = "gamer-companion.bench." + ProcessHandle.current().pid();
        Process agent = new ProcessBuilder(agentBinary.toString(), "--socket", "@" + name, "--bench",
                "--ring-kib", Integer.toString(RING_KIB)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(agent.getInputStream(), StandardCharsets.US_ASCII))) {
            assertThat(out.readLine()).isEqualTo("LISTENING @" + name);
            try (SeqPacketSocket socket = SeqPacketSocket.connectAbstract(name)) {
                assertThat(command(socket, "HELLO 1")).startsWith("OK HELLO 1");
                int[] fds = socket.receive(10_000).fds();
                RingDrainBenchmark.TwoFieldReader handler = new RingDrainBenchmark.TwoFieldReader();
                try (RingReader reader = RingReader.open(Arrays.copyOf(fds, EventLayout.RING_COUNT),
                        fds[EventLayout.RING_COUNT], RING_KIB * 1024, handler, 5)) {
                    for (int round = 0; round < ROUNDS; round++) {
                        command(socket, "BENCH FILL ALL " + FILL_PER_RING);
                        String[] consumed = command(socket, "BENCH CONSUME 0").split(" ");
                        double libbpfNsPerRecord = Double.parseDouble(consumed[4]) / Double.parseDouble(consumed[3]);
                        command(socket, "BENCH FILL ALL " + FILL_PER_RING);
                        long start = System.nanoTime();
                        long records = 0;
                        for (int n; (n = reader.drainAllOnce()) > 0; ) {
                            records += n;
                        }
                        double javaNsPerRecord = (double) (System.nanoTime() - start) / records;
                        System.out.printf("round %2d: %d records; libbpf %.2f ns/record (%.0f M/s), "
                                        + "Java %.2f ns/record (%.0f M/s)%n", round, records, libbpfNsPerRecord,
                                1e3 / libbpfNsPerRecord, javaNsPerRecord, 1e3 / javaNsPerRecord);
                    }
                    System.out.println("malformed " + reader.malformed() + ", checksum " + handler.sum);
                }
                Arrays.stream(fds).forEach(Fds::close);
                command(socket, "QUIT");
            }
        } finally {
            if (!agent.waitFor(5, TimeUnit.SECONDS)) {
                agent.destroy();
            }
        }
    }

    private static String command(SeqPacketSocket socket, String line) throws Exception {
        socket.send(line);
        while (true) {
            SeqPacketSocket.Packet reply = socket.receive(120_000);
            assertThat(reply).as("reply to %s", line).isNotNull();
            if (reply.line().startsWith("OK") || reply.line().startsWith("ERR")) {
                return reply.line();
            }
        }
    }
}
