package org.gamercompanion.ring;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.gamercompanion.sys.Epoll;
import org.gamercompanion.sys.ErrnoException;
import org.gamercompanion.sys.EventFd;

/**
 * Reads the agent's 16 rings on one thread, {@code ring-reader}, and hands every event to one
 * {@link RingEventHandler}. That thread is the single writer of everything downstream: the handler
 * (and whatever it feeds, e.g. a single-producer Disruptor ring) is only ever called from it, so it
 * needs no locks.
 *
 * <p>The loop: {@code epoll_wait} over the 16 ring fds and a stop eventfd, with a timeout of the
 * drain interval; after every return, drain all 16 rings ({@link MappedRing#drain}). The agent
 * submits with {@code BPF_RB_NO_WAKEUP} below a fill threshold, and such submits never make a ring
 * fd readable, so the timer drain is the normal path and epoll only shortens the wait when a ring
 * fills up. One pass takes at most one ring's capacity from each ring, so a flooded ring cannot
 * starve the others. Steady state allocates nothing, per event or per pass.
 *
 * <p>Lifecycle, like Disruptor's {@code BatchEventProcessor}: IDLE after {@link #open}, RUNNING
 * after {@link #start}, HALTED after {@link #close}. A handler exception goes to the {@link
 * RingExceptionHandler} and the loop goes on with the next event. {@link #close} stops the thread
 * within one drain interval (it wakes it at once through the eventfd), joins it, unmaps the rings
 * and closes the epoll and eventfd. The ring fds and the counters fd stay open: they belong to the
 * caller, who closes them after this reader.
 *
 * <p>Start it before load begins: until the JIT has compiled the drain loop (the first pass or
 * two), draining runs at about 15M records/s instead of about 250M, and a ring can overflow.
 *
 * <pre>{@code
 * try (RingReader reader = RingReader.open(ringFds, countersFd, ringBytes,
 *         (data, offset, ring) -> histogram(ring, EventLayout.kind(data, offset))
 *                 .recordValue(EventLayout.endNs(data, offset) - EventLayout.startNs(data, offset)),
 *         5)) {
 *     reader.start();
 *     ...                                  // record
 *     reader.awaitCaughtUp(1_000);         // everything emitted so far has been handled
 * }                                        // stop, join, unmap; then close the fds
 * }</pre>
 */
public final class RingReader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RingReader.class.getName());
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int HALTED = 2;
    private static final long WAKEUP_TAG = -1;
    private static final VarHandle STATE;
    private static final VarHandle PASSES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(RingReader.class, "state", int.class);
            PASSES = lookup.findVarHandle(RingReader.class, "passes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MappedRing[] rings;
    private final RingCounters counters;
    private final Arena mappings;
    private final Epoll epoll;
    private final EventFd wakeup;
    private final Epoll.Events ready;
    private final GuardedHandler handler;
    private final RingBatchHandler batchHandler; // the handler if it takes chunks, else null
    private final int drainIntervalMillis;
    private final int maxRecordsPerRing;
    private final ReentrantLock passLock = new ReentrantLock();
    private final Condition passCompleted = passLock.newCondition();
    private volatile int passWaiters;
    private Thread thread;

    @SuppressWarnings("unused") // accessed through STATE
    private int state = IDLE;

    @SuppressWarnings("unused") // accessed through PASSES
    private long passes;

    private RingReader(
            MappedRing[] rings,
            RingCounters counters,
            Arena mappings,
            Epoll epoll,
            EventFd wakeup,
            Epoll.Events ready,
            GuardedHandler handler,
            int drainIntervalMillis,
            int maxRecordsPerRing) {
        this.rings = rings;
        this.counters = counters;
        this.mappings = mappings;
        this.epoll = epoll;
        this.wakeup = wakeup;
        this.ready = ready;
        this.handler = handler;
        this.batchHandler = handler.delegate() instanceof RingBatchHandler b ? b : null;
        this.drainIntervalMillis = drainIntervalMillis;
        this.maxRecordsPerRing = maxRecordsPerRing;
    }

    /**
     * {@link #open(int[], int, int, RingEventHandler, long, RingExceptionHandler)} that logs
     * handler exceptions.
     */
    public static RingReader open(
            int[] ringFds,
            int countersFd,
            int ringBytes,
            RingEventHandler handler,
            long drainIntervalMillis)
            throws IOException {
        return open(
                ringFds,
                countersFd,
                ringBytes,
                handler,
                drainIntervalMillis,
                new LoggingExceptionHandler());
    }

    /**
     * Maps the 16 rings and the counters (checking each map's type and size from its fd) and
     * registers the ring fds with a new epoll instance. The reader is IDLE: call {@link #start}.
     *
     * @param ringFds rb_0..rb_15, in ring order; they stay the caller's
     * @param ringBytes every ring's data area (the agent's {@code ring_bytes})
     * @param drainIntervalMillis the timer drain period, 1..1000 ms
     */
    public static RingReader open(
            int[] ringFds,
            int countersFd,
            int ringBytes,
            RingEventHandler handler,
            long drainIntervalMillis,
            RingExceptionHandler exceptionHandler)
            throws IOException {
        if (ringFds.length != EventLayout.RING_COUNT) {
            throw new IllegalArgumentException(
                    "need " + EventLayout.RING_COUNT + " ring fds (got " + ringFds.length + ")");
        }
        if (drainIntervalMillis < 1 || drainIntervalMillis > 1000) {
            throw new IllegalArgumentException(
                    "drain interval must be 1..1000 ms (was " + drainIntervalMillis + ")");
        }
        Arena mappings = Arena.ofShared();
        Epoll epoll = null;
        EventFd wakeup = null;
        try {
            MappedRing[] rings = new MappedRing[EventLayout.RING_COUNT];
            for (int ring = 0; ring < rings.length; ring++) {
                rings[ring] = MappedRing.map(ringFds[ring], ringBytes, mappings);
            }
            RingCounters counters = RingCounters.map(countersFd, mappings);
            epoll = Epoll.create();
            wakeup = EventFd.create();
            for (int ring = 0; ring < rings.length; ring++) {
                epoll.add(ringFds[ring], Epoll.EPOLLIN, ring);
            }
            epoll.add(wakeup.fd(), Epoll.EPOLLIN, WAKEUP_TAG);
            Epoll.Events ready = Epoll.Events.allocate(EventLayout.RING_COUNT + 1, mappings);
            int maxRecordsPerRing =
                    Math.max(1, ringBytes / (EventLayout.EVENT_BYTES + MappedRing.HEADER_BYTES));
            return new RingReader(
                    rings,
                    counters,
                    mappings,
                    epoll,
                    wakeup,
                    ready,
                    new GuardedHandler(handler, exceptionHandler),
                    (int) drainIntervalMillis,
                    maxRecordsPerRing);
        } catch (IOException | RuntimeException e) {
            if (epoll != null) {
                epoll.close();
            }
            if (wakeup != null) {
                wakeup.close();
            }
            mappings.close();
            throw e;
        }
    }

    /** Starts the {@code ring-reader} thread. Only once, from IDLE. */
    public void start() {
        if (!STATE.compareAndSet(this, IDLE, RUNNING)) {
            throw new IllegalStateException("ring reader can only be started once, from IDLE");
        }
        thread = Thread.ofPlatform().name("ring-reader").daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * One pass over all 16 rings on the calling thread, for benchmarks and tests. Only while the
     * reader thread is not started (IDLE): the rings have exactly one consumer, and the caller is
     * then it, with the handler called on the caller's thread. Returns the records consumed.
     */
    public int drainAllOnce() {
        if ((int) STATE.getAcquire(this) != IDLE) {
            throw new IllegalStateException(
                    "drainAllOnce() is only allowed before start(): the reader thread owns the rings");
        }
        return pass();
    }

    /**
     * Records consumed from {@code ring} (handed to the handler, or malformed); any thread,
     * acquire.
     */
    public long consumed(int ring) {
        return rings[ring].consumed();
    }

    /** Sum of {@link #consumed(int)} over all rings. */
    public long consumedTotal() {
        long total = 0;
        for (MappedRing ring : rings) {
            total += ring.consumed();
        }
        return total;
    }

    /** Records skipped as malformed over all rings (wrong length or garbage); any thread. */
    public long malformed() {
        long total = 0;
        for (MappedRing ring : rings) {
            total += ring.malformed();
        }
        return total;
    }

    /** Exceptions thrown by the handler so far; any thread. */
    long handlerExceptions() {
        return handler.exceptions();
    }

    /** Passes over all rings completed so far (acquire load): for tests and diagnostics. */
    long passes() {
        return (long) PASSES.getAcquire(this);
    }

    /** The reader thread, once started: for tests. */
    Thread thread() {
        return thread;
    }

    /** The agent's emitted/lost counters; unusable (IllegalStateException) after {@link #close}. */
    public RingCounters counters() {
        return counters;
    }

    /**
     * Waits until, for every ring, the records consumed reach the {@code emitted} counter as read
     * at the time of this call: everything the agent had submitted by then has been handed to the
     * handler. Wakes the reader for an immediate pass, then waits on the reader's end-of-pass
     * signal (no polling). Returns false when the timeout passes first or the reader is not RUNNING
     * (for an IDLE reader it only reports whether it is caught up already). Call it before {@link
     * #close}: it reads the mapped counters, which are gone afterwards (IllegalStateException).
     */
    public boolean awaitCaughtUp(long timeoutMillis) {
        long[] target = new long[EventLayout.RING_COUNT];
        for (int ring = 0; ring < target.length; ring++) {
            target[ring] = counters.emitted(ring);
        }
        if (caughtUp(target)) {
            return true;
        }
        if ((int) STATE.getAcquire(this) != RUNNING) {
            return false;
        }
        long startNanos = System.nanoTime();
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        passLock.lock();
        try {
            passWaiters++;
            wakeReader();
            while (!caughtUp(target)) {
                long remainingNanos = timeoutNanos - (System.nanoTime() - startNanos);
                if (remainingNanos <= 0 || (int) STATE.getAcquire(this) != RUNNING) {
                    return false;
                }
                passCompleted.awaitNanos(remainingNanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            passWaiters--;
            passLock.unlock();
        }
    }

    /**
     * Stops the reader thread (it is woken at once, so well within one drain interval) after one
     * last pass over the rings, waits for it, then unmaps the rings and counters and closes the
     * epoll fd and eventfd. Does not close the ring fds or the counters fd: they are the caller's.
     * Idempotent; must not be called from the handler (the reader thread would wait for itself).
     */
    @Override
    public void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException(
                    "close() called on the ring-reader thread; close from another thread");
        }
        int previous = (int) STATE.getAndSet(this, HALTED);
        if (previous == HALTED) {
            return;
        }
        if (previous == RUNNING) {
            wakeReader();
            joinUninterruptibly(thread);
        }
        epoll.close();
        wakeup.close();
        mappings.close();
    }

    private void run() {
        handler.onStart();
        try {
            while ((int) STATE.getAcquire(this) == RUNNING) {
                int n = epoll.wait(ready, drainIntervalMillis);
                for (int i = 0; i < n; i++) {
                    if (ready.data(i) == WAKEUP_TAG) {
                        wakeup.drain();
                    }
                }
                pass();
            }
            pass();
        } catch (ErrnoException | RuntimeException e) {
            LOG.log(Level.ERROR, "ring reader stopped: " + e.getMessage(), e);
            STATE.setRelease(this, HALTED);
            signalPassWaiters();
        } finally {
            handler.onShutdown();
        }
    }

    private int pass() {
        int records = 0;
        for (int ring = 0; ring < rings.length; ring++) {
            records += drainGuarded(ring);
        }
        if (records != 0) {
            handler.onBatchEnd();
        }
        PASSES.setRelease(this, (long) PASSES.getOpaque(this) + 1);
        if (passWaiters != 0) {
            signalPassWaiters();
        }
        return records;
    }

    /**
     * Drains one ring into the user's handler itself (not through a wrapper per event: the JIT then
     * inlines the handler into the drain loop, where a wrapper's compiled body is often too big to
     * inline). A handler exception ends the drain after that record (consumed and published, see
     * {@link MappedRing#drain}); it is reported and the drain goes on with the next record.
     */
    private int drainGuarded(int ring) {
        MappedRing r = rings[ring];
        long before = r.consumed();
        int left = maxRecordsPerRing;
        while (true) {
            try {
                if (batchHandler != null) {
                    r.drainChunks(batchHandler, ring, left);
                } else {
                    r.drain(handler.delegate(), ring, left);
                }
                break;
            } catch (Throwable t) {
                handler.report(t, ring);
                left = maxRecordsPerRing - (int) (r.consumed() - before);
                if (left <= 0) {
                    break;
                }
            }
        }
        return (int) (r.consumed() - before);
    }

    private boolean caughtUp(long[] target) {
        for (int ring = 0; ring < target.length; ring++) {
            if (rings[ring].consumed() < target[ring]) {
                return false;
            }
        }
        return true;
    }

    private void signalPassWaiters() {
        passLock.lock();
        try {
            passCompleted.signalAll();
        } finally {
            passLock.unlock();
        }
    }

    private void wakeReader() {
        try {
            wakeup.signal(1);
        } catch (ErrnoException e) {
            LOG.log(Level.WARNING, "could not wake the ring reader: " + e.getMessage());
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
