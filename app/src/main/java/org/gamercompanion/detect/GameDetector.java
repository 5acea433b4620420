package org.gamercompanion.detect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.profile.Profile;

/**
 * Finds the processes that belong to a profile: one scan of /proc when it starts, then every {@code
 * EXEC} line the agent sends. A process is dropped when it exits ({@code EXITED} from the agent, or
 * {@link ProcessHandle#onExit()} for processes the agent does not watch) or when it execs something
 * that no longer matches.
 *
 * <p>Threading: {@link #accept} may be called from any thread, typically the agent's control reader
 * (it only enqueues: the listener calls the agent, which would deadlock on that thread). All
 * listener calls come from one thread, "game-detect".
 *
 * <pre>{@code
 * GameDetector detector = GameDetector.create(ProfileMatcher.of(profiles));
 * try (LiveCapture capture = LiveCapture.start(options, detector)) {
 *     detector.start(new ProfileApplier(capture.agent()));
 *     ...
 * }
 * }</pre>
 */
public final class GameDetector implements Consumer<Protocol.AsyncLine>, AutoCloseable {
    /** Told about matches and exits, always on the "game-detect" thread. */
    public interface Listener {
        void started(ProfileMatcher.Hit hit);

        default void exited(ProfileMatcher.Hit hit) {}
    }

    private sealed interface Work
            permits ExecWork, ExitWork, AdoptWork, ProfilesWork, RescanWork, Stop {}

    private record ExecWork(long pid, long ppid) implements Work {}

    private record AdoptWork(long pid, Profile profile) implements Work {}

    private record ExitWork(long pid) implements Work {}

    private record ProfilesWork(ProfileMatcher matcher) implements Work {}

    private record RescanWork() implements Work {}

    private record Stop() implements Work {}

    /** Replaced on the detector's thread only; read by {@link #accept} on others. */
    private volatile ProfileMatcher matcher;

    private final Path proc;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>(65_536);
    private final Map<Long, ProfileMatcher.Hit> active = new LinkedHashMap<>();
    private final List<ProfileMatcher.Hit> everMatched = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private volatile long droppedExecs;
    private volatile boolean adopted;

    private GameDetector(ProfileMatcher matcher, Path proc) {
        this.matcher = matcher;
        this.proc = proc;
    }

    /** A detector that queues what it is given until {@link #start}. */
    public static GameDetector create(ProfileMatcher matcher) {
        return new GameDetector(matcher, Path.of("/proc"));
    }

    /** Scans /proc once, then handles queued and future lines; listener calls on "game-detect". */
    public synchronized void start(Listener listener) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofPlatform().daemon().name("game-detect").start(() -> loop(listener));
    }

    /** Takes {@code EXEC} and {@code EXITED} lines; ignores the rest. Never blocks. */
    @Override
    public void accept(Protocol.AsyncLine line) {
        if (matcher.isEmpty() && !adopted) {
            return;
        }
        boolean queued =
                switch (line) {
                    case Protocol.Exec e -> queue.offer(new ExecWork(e.pid(), e.ppid()));
                    case Protocol.Exited x -> queue.offer(new ExitWork(x.tgid()));
                    // The agent dropped EXEC lines while the app was slow: a game may have started
                    // unseen.
                    case Protocol.ExecDropped d -> queue.offer(new RescanWork());
                    default -> true;
                };
        if (!queued) {
            droppedExecs++;
        }
    }

    /**
     * Assigns {@code profile} to a process regardless of the match rules (the launch wrapper's
     * {@code run --profile}); processes it execs later inherit the profile, by {@link
     * ProfileMatcher.Rule#WRAPPER}, unless a rule of their own matches.
     */
    public void adopt(long pid, Profile profile) {
        adopted = true;
        queue.offer(new AdoptWork(pid, profile));
    }

    /**
     * Replaces the profiles (one was saved, changed or deleted): processes whose profile is gone
     * are dropped (the applier reverts them), processes whose profile changed are matched again
     * (its new settings applied), and running processes are scanned for new matches. Never blocks.
     */
    public void profiles(List<Profile> profiles) {
        if (!queue.offer(new ProfilesWork(ProfileMatcher.of(profiles)))) {
            droppedExecs++;
        }
    }

    /** Every match since the start, in order, including processes that have exited. */
    public List<ProfileMatcher.Hit> everMatched() {
        return List.copyOf(everMatched);
    }

    /** Lines dropped because the queue was full (an exec storm while the detector was stuck). */
    long droppedExecs() {
        return droppedExecs;
    }

    private void loop(Listener listener) {
        scanProc(listener);
        try {
            while (true) {
                Work w = queue.take();
                switch (w) {
                    case ExecWork e -> examine(e.pid(), e.ppid(), listener);
                    case AdoptWork a -> adoptNow(a, listener);
                    case ExitWork x -> exited(x.pid(), listener);
                    case ProfilesWork p -> rematch(p.matcher(), listener);
                    case RescanWork r -> scanProc(listener);
                    case Stop s -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** New profiles: drop or re-apply what runs, then look for new matches. */
    private void rematch(ProfileMatcher next, Listener listener) {
        matcher = next;
        for (Map.Entry<Long, ProfileMatcher.Hit> e : new ArrayList<>(active.entrySet())) {
            long pid = e.getKey();
            ProfileMatcher.Hit old = e.getValue();
            Optional<ProfileMatcher.Hit> now;
            if (old.rule() == ProfileMatcher.Rule.WRAPPER) {
                // The wrapper named this profile: it keeps it, with the profile's new settings if
                // it changed.
                now =
                        Optional.of(
                                next.byName(old.profile().name())
                                        .map(
                                                p ->
                                                        new ProfileMatcher.Hit(
                                                                p, old.rule(), old.process()))
                                        .orElse(old));
            } else {
                now = ProcessIdentity.read(proc, pid).flatMap(next::match);
            }
            if (now.isPresent() && now.get().profile().equals(old.profile())) {
                continue;
            }
            exited(pid, listener);
            now.ifPresent(h -> register(h, listener));
        }
        scanProc(listener);
    }

    private void scanProc(Listener listener) {
        for (long pid : pids(proc)) {
            examine(pid, 0, listener);
        }
    }

    /** Every process in {@code proc} but this one. */
    private static List<Long> pids(Path proc) {
        long self = ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            ds.forEach(p -> pids.add(Long.parseLong(p.getFileName().toString())));
        } catch (IOException e) {
            System.err.println("gamer-companion: cannot scan " + proc + ": " + e.getMessage());
        }
        pids.remove(Long.valueOf(self));
        return pids;
    }

    /**
     * The processes running now that {@code matcher} matches (one /proc scan; nothing is watched).
     */
    public static List<ProfileMatcher.Hit> running(ProfileMatcher matcher) {
        Path proc = Path.of("/proc");
        List<ProfileMatcher.Hit> hits = new ArrayList<>();
        for (long pid : pids(proc)) {
            ProcessIdentity.read(proc, pid).flatMap(matcher::match).ifPresent(hits::add);
        }
        return hits;
    }

    private void adoptNow(AdoptWork a, Listener listener) {
        Optional<ProcessIdentity> info = ProcessIdentity.read(proc, a.pid());
        if (info.isEmpty()) {
            return;
        }
        ProfileMatcher.Hit old = active.get(a.pid());
        if (old != null) {
            exited(a.pid(), listener);
        }
        register(
                new ProfileMatcher.Hit(a.profile(), ProfileMatcher.Rule.WRAPPER, info.get()),
                listener);
        // Children it exec'd before the wrapper's request arrived: their EXEC lines came too early.
        for (long child : descendantsOf(a.pid())) {
            ProfileMatcher.Hit old2 = active.get(child);
            if (old2 == null || old2.rule() != ProfileMatcher.Rule.WRAPPER) {
                examine(child, a.pid(), listener);
            }
        }
    }

    /**
     * Every live descendant of {@code root}, parents before children, from the ppid fields of
     * /proc/PID/stat.
     */
    private List<Long> descendantsOf(long root) {
        Map<Long, List<Long>> children = new LinkedHashMap<>();
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path d : ds) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    children.computeIfAbsent(Long.parseLong(after[1]), k -> new ArrayList<>())
                            .add(Long.parseLong(d.getFileName().toString()));
                } catch (IOException | RuntimeException e) {
                    // exited while we looked
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        ArrayDeque<Long> todo = new ArrayDeque<>(children.getOrDefault(root, List.of()));
        while (!todo.isEmpty() && out.size() < 4096) {
            long pid = todo.poll();
            out.add(pid);
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return out;
    }

    private void examine(long pid, long ppid, Listener listener) {
        Optional<ProcessIdentity> info = ProcessIdentity.read(proc, pid);
        Optional<ProfileMatcher.Hit> hit = info.flatMap(matcher::match);
        ProfileMatcher.Hit parent =
                active.get(pid) != null && active.get(pid).rule() == ProfileMatcher.Rule.WRAPPER
                        ? active.get(pid)
                        : active.get(ppid);
        if (info.isPresent() && parent != null && parent.rule() == ProfileMatcher.Rule.WRAPPER) {
            hit =
                    Optional.of(
                            new ProfileMatcher.Hit(
                                    parent.profile(), ProfileMatcher.Rule.WRAPPER, info.get()));
        }
        ProfileMatcher.Hit old = active.get(pid);
        if (old != null && hit.isPresent() && old.profile().equals(hit.get().profile())) {
            if (!old.process().equals(hit.get().process())) {
                // Same game, new image (a launcher script exec'ing the game): report what runs now.
                active.put(pid, hit.get());
                everMatched.add(hit.get());
            }
            return;
        }
        if (old != null) {
            exited(pid, listener); // exec'd into something else
        }
        if (hit.isPresent()) {
            register(hit.get(), listener);
        }
    }

    private void register(ProfileMatcher.Hit hit, Listener listener) {
        long pid = hit.process().pid();
        active.put(pid, hit);
        everMatched.add(hit);
        safely(() -> listener.started(hit));
        ProcessHandle.of(pid)
                .ifPresentOrElse(
                        h -> h.onExit().thenRun(() -> queue.offer(new ExitWork(pid))),
                        () -> queue.offer(new ExitWork(pid)));
    }

    private void exited(long pid, Listener listener) {
        ProfileMatcher.Hit h = active.remove(pid);
        if (h != null) {
            safely(() -> listener.exited(h));
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // A listener's bug must not stop detection.
            System.err.println("gamer-companion: profile listener failed: " + e);
        }
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            queue.clear();
            queue.offer(new Stop());
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
