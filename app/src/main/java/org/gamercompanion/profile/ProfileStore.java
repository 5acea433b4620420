package org.gamercompanion.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.gamercompanion.files.AtomicFile;
import org.gamercompanion.files.UserDirs;

/**
 * The profile directory: one {@code .toml} file per game in {@code
 * $XDG_CONFIG_HOME/gamer-companion/profiles/} (default {@code
 * ~/.config/gamer-companion/profiles/}).
 *
 * <p>Writes are atomic ({@link AtomicFile}: temp file, fsync, rename, fsync of the directory; only
 * regular files are replaced). A file that does not parse is listed in {@link Listing#broken()}
 * with its error and is never overwritten, renamed or deleted by this class: {@link #save} refuses
 * it.
 *
 * <pre>{@code
 * ProfileStore store = ProfileStore.open(ProfileStore.defaultDir());
 * ProfileStore.Listing l = store.list();
 * l.broken().forEach(b -> System.err.println(b.error()));
 * store.save(Profile.named("Bar Game"));
 * }</pre>
 */
public final class ProfileStore {
    private final Path dir;

    /** A profile as loaded from its file. */
    public record Entry(Path file, Profile profile, List<String> warnings) {}

    /** A file that is not a valid profile; {@code error} names file, line and field. */
    public record Broken(Path file, String error) {}

    /** Every file of the directory, sorted by file name. */
    public record Listing(List<Entry> profiles, List<Broken> broken) {
        public Optional<Entry> find(String name) {
            return profiles.stream()
                    .filter(e -> e.profile().name().equalsIgnoreCase(name.strip()))
                    .findFirst();
        }
    }

    private ProfileStore(Path dir) {
        this.dir = dir;
    }

    /** The store over {@code dir}; the directory is created on the first save. */
    public static ProfileStore open(Path dir) {
        return new ProfileStore(dir);
    }

    /**
     * The system property {@code gc.profiles.dir} when set (tests, scripts), else {@code
     * $XDG_CONFIG_HOME/gamer-companion/profiles}, or {@code ~/.config/...} when that is unset or
     * relative.
     */
    public static Path defaultDir() {
        String override = System.getProperty("gc.profiles.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return UserDirs.current().config().resolve("profiles");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Reads every {@code *.toml} file; unreadable and invalid ones go to {@code broken}. A
     * directory that does not exist yet holds no profiles.
     *
     * @throws IOException naming the directory when it exists but is not one (a regular file given
     *     as {@code --dir} read as "no profiles" before)
     */
    public Listing list() throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.toml")) {
                ds.forEach(files::add);
            }
        } else if (Files.exists(dir)) {
            throw new IOException(
                    "profile directory "
                            + dir
                            + " is not a directory ("
                            + (Files.isRegularFile(dir)
                                    ? "a regular file"
                                    : "a FIFO, socket or device")
                            + ")");
        }
        files.sort(null);
        List<Entry> ok = new ArrayList<>();
        List<Broken> broken = new ArrayList<>();
        Map<String, Path> byName = new HashMap<>();
        for (Path f : files) {
            try {
                ProfileToml.Parsed p = read(f);
                String key = p.profile().name().toLowerCase(Locale.ROOT);
                Path other = byName.putIfAbsent(key, f);
                if (other != null) {
                    broken.add(
                            new Broken(
                                    f,
                                    "profile "
                                            + f.getFileName()
                                            + " line 1: name \""
                                            + p.profile().name()
                                            + "\" is already used by "
                                            + other.getFileName()
                                            + "; rename one of them (names are compared ignoring case)"));
                    continue;
                }
                ok.add(new Entry(f, p.profile(), p.warnings()));
            } catch (ProfileException e) {
                broken.add(new Broken(f, e.getMessage()));
            }
        }
        return new Listing(List.copyOf(ok), List.copyOf(broken));
    }

    /** Reads and parses one file; refuses non-regular files (a FIFO would block the reader). */
    public static ProfileToml.Parsed read(Path f) throws ProfileException {
        String where = "profile " + f.getFileName();
        if (Files.isDirectory(f)) {
            throw new ProfileException(
                    where
                            + ": cannot read: it is a directory, not a file; move it out of "
                            + f.getParent());
        }
        if (!Files.isRegularFile(f)) {
            throw new ProfileException(
                    where
                            + ": cannot read: "
                            + (Files.exists(f, LinkOption.NOFOLLOW_LINKS)
                                    ? "not a regular file (a FIFO, socket or device, or a broken link)"
                                    : "no such file"));
        }
        byte[] bytes;
        try {
            long size = Files.size(f);
            if (size > ProfileToml.MAX_FILE_BYTES) {
                throw new ProfileException(
                        where
                                + ": file is "
                                + size
                                + " bytes, over the "
                                + ProfileToml.MAX_FILE_BYTES
                                + "-byte limit for a profile; is it the right file?");
            }
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new ProfileException(
                    where + ": cannot read: " + reason(e) + "; check its permissions", e);
        }
        return ProfileToml.parse(f.getFileName().toString(), bytes);
    }

    /**
     * Writes a profile atomically. The file is the one that already holds a profile of this name,
     * else {@code <slug>.toml}.
     *
     * @param previousName the name the profile had when it was loaded (a rename in the editor), or
     *     null
     * @return the file written
     * @throws ProfileException if another profile has the name, or the target file is broken or not
     *     ours
     */
    public Path save(Profile p, String previousName) throws ProfileException, IOException {
        validateForSave(p);
        Listing l = list();
        Optional<Entry> same = l.find(p.name());
        Optional<Entry> previous = previousName == null ? Optional.empty() : l.find(previousName);
        if (same.isPresent()
                && (previous.isEmpty() || !same.get().file().equals(previous.get().file()))) {
            throw new ProfileException(
                    "profile "
                            + same.get().file().getFileName()
                            + ": a profile named \""
                            + p.name()
                            + "\" already exists; choose another name or edit that one");
        }
        Path target = previous.map(Entry::file).orElse(null);
        if (target == null) {
            // A broken file where this profile would go is most likely this profile, mistyped by
            // hand:
            // refuse rather than create a second file beside it.
            Path natural = dir.resolve(slug(p.name()) + ".toml");
            for (Broken b : l.broken()) {
                if (b.file().equals(natural)) {
                    throw new ProfileException(
                            b.error() + " (not overwritten: fix or remove the file first)");
                }
            }
            target = natural;
            for (int i = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
                target = dir.resolve(slug(p.name()) + "-" + i + ".toml");
            }
        }
        AtomicFile.write(target, ProfileToml.write(p).getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /** Removes the profile's file. */
    public Path remove(String name) throws ProfileException, IOException {
        Entry e =
                list().find(name)
                        .orElseThrow(
                                () ->
                                        new ProfileException(
                                                "no profile named \""
                                                        + name
                                                        + "\" in "
                                                        + dir
                                                        + "; 'profile list' shows the names"));
        Files.delete(e.file());
        AtomicFile.fsyncDir(dir);
        return e.file();
    }

    /**
     * Copies a profile file into the store after checking it; the bytes are kept as they are
     * (comments and unknown keys included).
     */
    public Path importFile(Path source) throws ProfileException, IOException {
        ProfileToml.Parsed p = read(source);
        if (list().find(p.profile().name()).isPresent()) {
            throw new ProfileException(
                    "profile "
                            + source.getFileName()
                            + ": a profile named \""
                            + p.profile().name()
                            + "\" already exists; remove it first or rename the imported one");
        }
        Path target = dir.resolve(slug(p.profile().name()) + ".toml");
        for (int i = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
            target = dir.resolve(slug(p.profile().name()) + "-" + i + ".toml");
        }
        AtomicFile.write(target, Files.readAllBytes(source));
        return target;
    }

    /**
     * Writes the profile's file, byte for byte, to {@code destination} (atomically; never over a
     * directory).
     */
    public Path exportTo(String name, Path destination) throws ProfileException, IOException {
        Entry e =
                list().find(name)
                        .orElseThrow(
                                () ->
                                        new ProfileException(
                                                "no profile named \"" + name + "\" in " + dir));
        Path target =
                Files.isDirectory(destination)
                        ? destination.resolve(e.file().getFileName())
                        : destination;
        AtomicFile.write(target, Files.readAllBytes(e.file()));
        return target;
    }

    private static void validateForSave(Profile p) throws ProfileException {
        // The same checks as reading: a profile the editor saves must load again.
        try {
            ProfileToml.parse("(unsaved)", ProfileToml.write(p).getBytes(StandardCharsets.UTF_8));
        } catch (ProfileException e) {
            throw new ProfileException(
                    "profile \""
                            + p.name()
                            + "\" not saved: "
                            + e.getMessage()
                                    .replaceFirst("^profile \\(unsaved\\)( line \\d+)?: ", ""));
        }
    }

    /** A file name from a profile name: lower case ASCII letters, digits and dashes. */
    static String slug(String name) {
        String s =
                name.toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "profile" : s.length() > 48 ? s.substring(0, 48) : s;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
