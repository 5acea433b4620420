package org.gamercompanion.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Replaces a file atomically: a temporary sibling is written and fsynced, then renamed over the
 * target, then the directory is fsynced. A reader sees the old bytes or the new ones, never half.
 *
 * <p>Only regular files are ever replaced. A rename replaces whatever has the name, so without a
 * check {@code profile export X /dev/null} run as root would put a regular file where the device
 * was. {@link #checkTarget} therefore refuses a target that exists and is not a regular file: a
 * device, FIFO, socket or directory, a dangling symlink, or a symlink to any of those. A symlink to
 * a regular file is followed (the link stays, its file is replaced) only when the link belongs to
 * this process's user: one planted by someone else (a sticky {@code /tmp}) would otherwise point a
 * root writer at any file on the machine.
 *
 * <pre>{@code
 * AtomicFile.write(path, bytes);                      // small files: profiles, settings
 * try (AtomicFile.Pending p = AtomicFile.begin(out)) { // streams: recordings
 *     write(p.temp());
 *     p.commit();                                     // not called: the temp file is removed
 * }
 * }</pre>
 */
public final class AtomicFile {
    private AtomicFile() {}

    /**
     * A replacement in progress: write {@link #temp}, then {@link #commit}; {@link #close} without
     * a commit removes it.
     */
    public static final class Pending implements AutoCloseable {
        private final Path requested;
        private final Path target;
        private final Path temp;
        private boolean done;

        private Pending(Path requested, Path target, Path temp) {
            this.requested = requested;
            this.target = target;
            this.temp = temp;
        }

        /** The temporary sibling to write; it exists and is empty. */
        public Path temp() {
            return temp;
        }

        /** The file that {@link #commit} replaces (a followed symlink's file). */
        public Path target() {
            return target;
        }

        /**
         * fsyncs the temporary file, checks the target once more (it may have changed while a
         * recording ran), renames it into place and fsyncs the directory.
         */
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException(requested + ": already committed or abandoned");
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Path now = checkTarget(requested);
            if (!now.equals(target)) {
                throw new IOException(
                        requested
                                + " changed while it was written (now "
                                + now
                                + "); not replaced");
            }
            try {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(
                        "cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
            done = true;
            fsyncDir(target.getParent());
        }

        /** Removes the temporary file unless {@link #commit} succeeded. */
        @Override
        public void close() throws IOException {
            if (!done) {
                done = true;
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Checks that {@code target} may be replaced, before anything is written.
     *
     * @return the path whose file will be replaced: {@code target} itself, or the file a symlink of
     *     ours points to
     * @throws IOException naming the target and what it is, when it exists and is not a regular
     *     file, or is a symlink we do not follow; also when its directory is missing and cannot be
     *     made
     */
    public static Path checkTarget(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        BasicFileAttributes link;
        try {
            link = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            Path parent = abs.getParent();
            if (parent == null || (Files.exists(parent) && !Files.isDirectory(parent))) {
                throw new IOException(target + ": " + parent + " is not a directory");
            }
            return abs;
        }
        if (link.isRegularFile()) {
            return abs;
        }
        if (!link.isSymbolicLink()) {
            throw new IOException(
                    target
                            + " is "
                            + what(abs, LinkOption.NOFOLLOW_LINKS)
                            + ", not a regular file: not replaced (give the path of a file)");
        }
        BasicFileAttributes pointed;
        try {
            pointed = Files.readAttributes(abs, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IOException(
                    target
                            + " is a symlink to nothing ("
                            + Files.readSymbolicLink(abs)
                            + "): not followed");
        }
        if (!pointed.isRegularFile()) {
            throw new IOException(
                    target
                            + " is a symlink to "
                            + what(abs)
                            + " ("
                            + Files.readSymbolicLink(abs)
                            + "), not to a regular file: not replaced");
        }
        long owner =
                ((Number) Files.getAttribute(abs, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                        .longValue();
        if (owner != UserDirs.uid()) {
            throw new IOException(
                    target
                            + " is a symlink owned by uid "
                            + owner
                            + ", not by this user (uid "
                            + UserDirs.uid()
                            + "): not followed");
        }
        return abs.toRealPath();
    }

    /**
     * Checks the target ({@link #checkTarget}), creates its directory and an empty temporary
     * sibling.
     */
    public static Pending begin(Path target) throws IOException {
        Path real = checkTarget(target);
        Path parent = real.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + real.getFileName() + ".", ".tmp");
        return new Pending(target, real, temp);
    }

    /** Replaces {@code target} with {@code bytes} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        try (Pending p = begin(target)) {
            try (FileChannel ch = FileChannel.open(p.temp(), StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            p.commit();
        }
    }

    /** fsyncs a directory, so a rename or a removal in it survives a crash. */
    public static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename itself is still atomic.
        }
    }

    /** What a non-regular file is, in words: its type bits from {@code unix:mode}. */
    private static String what(Path p, LinkOption... options) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", options);
        return switch (mode & 0170000) {
            case 0040000 -> "a directory";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0010000 -> "a FIFO";
            case 0140000 -> "a socket";
            case 0120000 -> "a symlink";
            default -> "not a regular file";
        };
    }
}
