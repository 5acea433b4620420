package org.gamercompanion.profileeditor;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.gamercompanion.detect.ProcessIdentity;
import org.gamercompanion.process.ProcessList;
import org.gamercompanion.profile.Profile;
import org.gamercompanion.profile.ProfileStore;

/**
 * What the profile editor does besides showing a form: the store's I/O and reading processes, off
 * the FX thread, with each outcome handed back on the FX thread. The view never touches the disk or
 * /proc; {@code profile/} stays the pure domain (TOML, the store, the fields), and detection
 * ({@link ProcessIdentity}) is used from here, above it.
 *
 * <pre>{@code
 * ProfileEditorModel m = new ProfileEditorModel(store, io, Platform::runLater);
 * m.save(profile, previousName, file -> status.setText("Saved " + file), why -> status.setText("Not saved: " + why));
 * }</pre>
 */
final class ProfileEditorModel {
    /** Work that reads or writes; it may throw, the message goes to the failure callback. */
    @FunctionalInterface
    interface Io<T> {
        T run() throws Exception;
    }

    private final ProfileStore store;
    private final Executor io;
    private final Executor fx;

    ProfileEditorModel(ProfileStore store, Executor io, Executor fx) {
        this.store = store;
        this.io = io;
        this.fx = fx;
    }

    public Path dir() {
        return store.dir();
    }

    private <T> void run(Io<T> work, Consumer<T> done, Consumer<String> failed) {
        io.execute(
                () -> {
                    T result;
                    try {
                        result = work.run();
                    } catch (Exception e) {
                        fx.execute(
                                () ->
                                        failed.accept(
                                                e.getMessage() == null
                                                        ? e.toString()
                                                        : e.getMessage()));
                        return;
                    }
                    fx.execute(() -> done.accept(result));
                });
    }

    /** The profiles and the broken files. */
    void list(Consumer<ProfileStore.Listing> done, Consumer<String> failed) {
        run(store::list, done, failed);
    }

    /**
     * Saves {@code p} atomically, replacing the file of {@code previousName} (null: a new profile);
     * the file.
     */
    void save(Profile p, String previousName, Consumer<Path> done, Consumer<String> failed) {
        run(() -> store.save(p, previousName), done, failed);
    }

    void remove(String name, Consumer<Path> done, Consumer<String> failed) {
        run(() -> store.remove(name), done, failed);
    }

    void importFile(Path source, Consumer<Path> done, Consumer<String> failed) {
        run(() -> store.importFile(source), done, failed);
    }

    void exportTo(String name, Path target, Consumer<Path> done, Consumer<String> failed) {
        run(() -> store.exportTo(name, target), done, failed);
    }

    /**
     * The running processes with what detection reads of each (their exe, wine .exe, Steam AppID).
     */
    void processes(Consumer<List<ProcessIdentity>> done) {
        run(
                () ->
                        ProcessList.system().read().stream()
                                .flatMap(p -> ProcessIdentity.read(p.pid()).stream())
                                .toList(),
                done,
                why -> done.accept(List.of()));
    }

    /** What detection reads of one process now; empty when it has exited. */
    void identity(long pid, Consumer<Optional<ProcessIdentity>> done) {
        run(() -> ProcessIdentity.read(pid), done, why -> done.accept(Optional.empty()));
    }

    /**
     * A new profile that matches this process: its .exe under wine, else its executable, and its
     * Steam AppID.
     */
    static Profile fromProcess(ProcessIdentity p) {
        String exe = matchedExe(p);
        String name = exe.replaceFirst("(?i)\\.exe$", "");
        return Profile.named(name.isEmpty() ? "New game" : name)
                .withMatch(new Profile.Match(List.of(exe), p.steamAppId(), ""));
    }

    /**
     * The executable a profile should match for {@code p}: its .exe under wine, else its exe, else
     * its comm.
     */
    static String matchedExe(ProcessIdentity p) {
        List<String> winExes = p.windowsExes();
        return !winExes.isEmpty() ? winExes.get(0) : !p.exe().isEmpty() ? p.exe() : p.comm();
    }

    /**
     * {@code name (pid) · exe}: the kernel's name, and the executable a profile made from it
     * matches.
     */
    static String pickerLabel(ProcessIdentity p) {
        return p.comm() + " (" + p.pid() + ") \u00b7 " + matchedExe(p);
    }
}
