package org.gamercompanion.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link AtomicFile} replaces (regular files) and what it refuses, and that a refusal leaves
 * no trace.
 */
class AtomicFileTest {
    @TempDir Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }

    private static String type(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return Integer.toOctalString(mode & 0170000);
    }

    private List<Path> leftovers() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void replacesARegularFileAndCreatesAMissingOne() throws Exception {
        Path f = dir.resolve("a.toml");
        AtomicFile.write(f, bytes("one"));
        AtomicFile.write(f, bytes("two"));
        assertThat(Files.readString(f)).isEqualTo("two");
        assertThat(leftovers()).isEmpty();
    }

    /**
     * The defect of issue 11: as root, a rename over /dev/full made it a regular file. A device of
     * our own here.
     */
    @Test
    void aCharacterDeviceIsRefusedAndStaysADevice() throws Exception {
        assumeTrue(UserDirs.uid() == 0, "skipped: mknod of a test device needs root");
        Path dev = dir.resolve("full");
        run("mknod", dev.toString(), "c", "1", "7");
        assertThatThrownBy(() -> AtomicFile.write(dev, bytes("x")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(
                        dev + " is a character device, not a regular file: not replaced");
        assertThatThrownBy(() -> AtomicFile.begin(dev)).hasMessageContaining("character device");
        assertThat(type(dev)).isEqualTo("20000");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFifoADirectoryAndASocketAreRefused() throws Exception {
        Path fifo = dir.resolve("fifo");
        run("mkfifo", fifo.toString());
        assertThatThrownBy(() -> AtomicFile.write(fifo, bytes("x")))
                .hasMessageContaining("is a FIFO, not a regular file");
        assertThat(type(fifo)).isEqualTo("10000");

        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> AtomicFile.begin(sub))
                .hasMessageContaining("is a directory, not a regular file");
        assertThat(Files.isDirectory(sub)).isTrue();

        Path sock = dir.resolve("s.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            assertThatThrownBy(() -> AtomicFile.write(sock, bytes("x")))
                    .hasMessageContaining("is a socket");
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void symlinksToAnythingButARegularFileAreRefused() throws Exception {
        Path toDevice = Files.createSymbolicLink(dir.resolve("null-link"), Path.of("/dev/null"));
        assertThatThrownBy(() -> AtomicFile.write(toDevice, bytes("x")))
                .hasMessageContaining(
                        "is a symlink to a character device (/dev/null), not to a regular file");
        assertThat(Files.isSymbolicLink(toDevice)).isTrue();

        Path dangling =
                Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nothing-here"));
        assertThatThrownBy(() -> AtomicFile.write(dangling, bytes("x")))
                .hasMessageContaining("is a symlink to nothing");
        assertThat(Files.exists(dir.resolve("nothing-here"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aSymlinkOfOursToARegularFileIsFollowedAndKept() throws Exception {
        Path real =
                Files.writeString(
                        Files.createDirectory(dir.resolve("dotfiles")).resolve("cs2.toml"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("cs2.toml"), real);
        AtomicFile.write(link, bytes("new"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
    }

    /**
     * A link planted by another user (a sticky /tmp) must not point a root writer at an arbitrary
     * file.
     */
    @Test
    void aSymlinkOfAnotherUserIsNotFollowed() throws Exception {
        assumeTrue(UserDirs.uid() == 0, "skipped: giving a symlink to another user needs root");
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("planted"), victim);
        UserPrincipal nobody =
                dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.getFileAttributeView(link, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setOwner(nobody);
        assertThatThrownBy(() -> AtomicFile.write(link, bytes("x")))
                .hasMessageContaining("is a symlink owned by uid");
        assertThat(Files.readString(victim)).isEqualTo("precious");
    }

    @Test
    void anAbandonedPendingLeavesNothingAndACommitChecksTheTargetAgain() throws Exception {
        Path f = dir.resolve("rec.hlog");
        try (AtomicFile.Pending p = AtomicFile.begin(f)) {
            Files.writeString(p.temp(), "half");
        }
        assertThat(Files.exists(f)).isFalse();
        assertThat(leftovers()).isEmpty();

        // The target became a directory while the recording ran: the commit refuses, the temp goes.
        try (AtomicFile.Pending p = AtomicFile.begin(f)) {
            Files.writeString(p.temp(), "data");
            Files.createDirectory(f);
            assertThatThrownBy(p::commit).hasMessageContaining("is a directory");
        }
        assertThat(Files.isDirectory(f)).isTrue();
        assertThat(leftovers()).isEmpty();
    }
}
