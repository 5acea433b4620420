package org.gamercompanion.profile;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a profile directory and hands over its new listing whenever a file in it is created,
 * changed, renamed or removed: by the editor, by {@code profile import}, or by hand. A burst of
 * events (an atomic save is a temp file, a write and a rename) is delivered once, after the
 * directory has been quiet for {@value #QUIET_MS} ms.
 *
 * <pre>{@code
 * try (ProfileWatcher w = ProfileWatcher.start(store, listing -> detector.profiles(...), log)) { ... }
 * }</pre>
 *
 * <p>Threads: one daemon thread, "profile-watch", calls the consumer.
 */
public final class ProfileWatcher implements AutoCloseable {
    static final long QUIET_MS = 150;

    private final WatchService service;
    private final Thread thread;

    private ProfileWatcher(WatchService service, Thread thread) {
        this.service = service;
        this.thread = thread;
    }

    /**
     * Starts watching {@code store}'s directory (made if missing, so the first profile is seen).
     *
     * @param changed gets every new listing; broken files are in it, reported and kept
     * @param log one line when the directory cannot be read
     */
    public static ProfileWatcher start(
            ProfileStore store, Consumer<ProfileStore.Listing> changed, Consumer<String> log)
            throws IOException {
        Files.createDirectories(store.dir());
        WatchService ws = store.dir().getFileSystem().newWatchService();
        store.dir()
                .register(
                        ws,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
        Thread t =
                Thread.ofPlatform()
                        .daemon()
                        .name("profile-watch")
                        .unstarted(() -> loop(ws, store, changed, log));
        t.start();
        return new ProfileWatcher(ws, t);
    }

    private static void loop(
            WatchService ws,
            ProfileStore store,
            Consumer<ProfileStore.Listing> changed,
            Consumer<String> log) {
        try {
            while (true) {
                WatchKey key = ws.take();
                boolean valid = drain(key);
                // Quiet period: more events of the same save are swallowed here.
                WatchKey more;
                while ((more = ws.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null) {
                    valid &= drain(more);
                }
                try {
                    changed.accept(store.list());
                } catch (IOException e) {
                    log.accept("cannot read " + store.dir() + ": " + e.getMessage());
                }
                if (!valid) {
                    log.accept(store.dir() + " went away: profile changes are no longer followed");
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the session ends
        }
    }

    /** Takes the key's events; false when the directory is gone. */
    private static boolean drain(WatchKey key) {
        key.pollEvents();
        return key.reset();
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing left to release
        }
        thread.interrupt();
    }
}
