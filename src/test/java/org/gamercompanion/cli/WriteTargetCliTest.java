package org.gamercompanion.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.gamercompanion.files.UserDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 1: {@code profile export} and {@code record --out} at a device, FIFO or directory
 * fail with a clear error, leave the target as it was and leave no temporary file. The device is
 * one this test makes (mknod, as root), never the machine's /dev/full.
 */
class WriteTargetCliTest {
    @TempDir Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }

    private static boolean isCharDevice(Path p) throws Exception {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0020000;
    }

    private Path device() throws Exception {
        assumeTrue(
                UserDirs.uid() == 0,
                "skipped: mknod of a test device (the defect needs root) needs root");
        Path dev = tmp.resolve("full");
        exec("mknod", dev.toString(), "c", "1", "7");
        return dev;
    }

    private long tempFiles(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void profileExportToADeviceOrFifoFailsAndKeepsIt() throws Exception {
        String dir = tmp.resolve("p").toString();
        assertThat(run("profile", "add", "Good Game", "--dir", dir, "--exe", "goodgame").status())
                .isZero();
        Path dev = device();
        CliRun r = run("profile", "export", "Good Game", dev.toString(), "--dir", dir);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err())
                .contains(dev + " is a character device, not a regular file: not replaced");
        assertThat(isCharDevice(dev)).isTrue();

        Path fifo = tmp.resolve("fifo");
        exec("mkfifo", fifo.toString());
        CliRun f = run("profile", "export", "Good Game", fifo.toString(), "--dir", dir);
        assertThat(f.status()).isEqualTo(1);
        assertThat(f.err()).contains("is a FIFO");
        assertThat(tempFiles(tmp)).isZero();
    }

    /**
     * Refused before the agent starts: no progress line, so nothing was recorded and then thrown
     * away.
     */
    @Test
    void recordOutAtADeviceFailsBeforeRecording() throws Exception {
        Path dev = device();
        CliRun r = run("record", "--seconds", "2", "--selftest", "--out", dev.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(dev + " is a character device").doesNotContain("input_to_run");
        assertThat(isCharDevice(dev)).isTrue();
        assertThat(tempFiles(tmp)).isZero();
    }

    @Test
    void recordOutAtADirectoryFailsBeforeRecordingAndLeavesNoTempFile() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("recordings"));
        CliRun r = run("record", "--seconds", "2", "--selftest", "--out", dir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err())
                .contains(dir + " is a directory, not a regular file")
                .doesNotContain("input_to_run");
        assertThat(tempFiles(dir)).isZero();
        assertThat(tempFiles(tmp)).isZero();
    }
}
