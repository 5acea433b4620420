package org.gamercompanion.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The process's one way out when the X server goes away: a libX11 I/O error handler ({@code
 * XSetIOErrorHandler}, process-global) that runs once, closes the agent's control connection and
 * ends the process with {@code _exit(1)}.
 *
 * <p>Why: with AWT's X toolkit loaded (a tray host present) the app holds two X connections, GDK's
 * (JavaFX's {@code gtk_main} thread, in {@code XPending}) and AWT's ({@code AWT-XAWT}, in {@code
 * XEventsQueued}). When the server dies both see the I/O error at once, and the handlers in effect
 * until now (AWT's {@code xioerror_handler}, which returns, then libX11's default exit handler)
 * call {@code exit(1)} on both threads: glibc 2.36 runs its exit handlers on both at once and the
 * JVM dies with SIGSEGV and an hs_err file (issue 11 item 9). {@code _exit} runs no user-space exit
 * handlers at all, so two threads reaching it, or one reaching it while another runs, is safe.
 *
 * <p>Installed by {@link #install()}: before the toolkits open their displays, and again after each
 * one did, because GDK and AWT each install a handler of their own when they open theirs (the last
 * {@code XSetIOErrorHandler} wins: seen here, libX11's {@code _XDefaultIOError}, then GDK's
 * handler, then AWT's were in the slot when this class took it). Between a toolkit's open and the
 * next {@link #install()} an X loss still takes the old path: a window of milliseconds at start-up.
 *
 * <pre>{@code
 * XIoErrorExit.install();                 // before Application.launch
 * XIoErrorExit.closeOnExit(controlSocket); // the agent sees its connection close and exits
 * ... toolkit opened its display ...
 * XIoErrorExit.install();                 // take the slot back from GDK / AWT
 * }</pre>
 */
public final class XIoErrorExit {
    /** What the process exits with: the status libX11's and GDK's own handlers use. */
    public static final int EXIT_STATUS = 1;

    /** The line printed on stderr when the handler runs (tests look for it). */
    public static final String MESSAGE = "gamer-companion: lost the connection to the X server";

    /** How long a second thread in the handler waits for the first one to end the process. */
    private static final long LOSER_WAIT_NS = TimeUnit.SECONDS.toNanos(3);

    private static final AtomicBoolean ENTERED = new AtomicBoolean();

    /** Sockets to close before exiting: the agent exits when its control connection closes. */
    private static final Set<SeqPacketSocket> CLOSE_ON_EXIT = ConcurrentHashMap.newKeySet();

    /** Set before the handler is first installed; read by the handler on any thread. */
    private static volatile Native natives;

    private XIoErrorExit() {}

    /**
     * Makes this class's handler the process's X I/O error handler (again, if a toolkit installed
     * its own since). Does nothing without libX11. Any thread; cheap (one libX11 call under its
     * global lock).
     */
    public static synchronized void install() {
        try {
            if (natives == null) {
                natives = new Native();
            }
            MemorySegment ignored =
                    (MemorySegment) natives.setIoErrorHandler.invokeExact(natives.handler);
        } catch (Throwable e) {
            // No libX11 (a Wayland-only system): no X connection can fail either.
        }
    }

    /** Closes {@code socket} (shutdown, then close) if the process ends through the handler. */
    public static void closeOnExit(SeqPacketSocket socket) {
        CLOSE_ON_EXIT.add(socket);
    }

    /** Undoes {@link #closeOnExit} (the connection was closed the normal way). */
    public static void forget(SeqPacketSocket socket) {
        CLOSE_ON_EXIT.remove(socket);
    }

    /**
     * The handler: {@code int (*)(Display *)}, called by libX11 on whichever thread's X call
     * failed. libX11 never expects it to return (if it did, libX11's exit handler would call {@code
     * exit}).
     *
     * <p>What is safe here, and why the body is so small. The caller is a thread inside native
     * code: JavaFX's application thread in {@code gtk_main} (so no FX work can run while we are
     * here, and nothing may wait for the FX thread), {@code AWT-XAWT} holding AWT's lock (so
     * nothing may touch AWT: the tray, {@code EventQueue}), or JNativeHook's hook thread. The FFM
     * upcall stub moves the thread from native into Java (as a JNI callback would; a thread the JVM
     * does not know is attached), so Java code runs normally; what would not be safe is:
     *
     * <ul>
     *   <li>calling back into libX11, GDK or AWT: the display is dead and any call ends up in this
     *       handler again, on a thread that already owns it;
     *   <li>{@code System.exit}, {@code Runtime.halt} or the shutdown hooks: they end in libc's
     *       {@code exit()}, the very race this class exists to avoid, and the hooks wait for the
     *       capture thread and the FX thread;
     *   <li>letting an exception escape: an uncaught exception in an upcall aborts the JVM (another
     *       crash log).
     * </ul>
     *
     * So: the first thread wins an atomic flag; every later one parks (bounded: if the winner got
     * stuck writing to a full stderr pipe the loser ends the process itself, so the app never hangs
     * instead of exiting). The winner writes one line with a raw {@code write(2)}, closes the
     * registered control sockets (their {@code close} only takes a lock that no holder keeps across
     * a blocking call), and calls {@code _exit}. Every downcall handle was made in {@link
     * #install()}.
     */
    private static int onIoError(MemorySegment display) {
        Native n = natives;
        if (!ENTERED.compareAndSet(false, true)) {
            long deadline = System.nanoTime() + LOSER_WAIT_NS;
            while (System.nanoTime() < deadline) {
                LockSupport.parkNanos(deadline - System.nanoTime());
            }
            n.exit();
            return 0;
        }
        try {
            n.say();
        } catch (Throwable ignored) {
            // Nothing to do about a stderr that cannot be written: go on to the exit.
        }
        for (SeqPacketSocket s : CLOSE_ON_EXIT) {
            try {
                s.close();
            } catch (Throwable ignored) {
                // Best effort: _exit closes every descriptor anyway; the agent sees the same EOF
                // then.
            }
        }
        n.exit();
        return 0;
    }

    /** The handler's upcall stub and the downcalls it makes, all created once, up front. */
    @SuppressWarnings("restricted")
    private static final class Native {
        final MethodHandle setIoErrorHandler;
        final MemorySegment handler;
        private final MethodHandle write;
        private final MethodHandle exit;
        private final MemorySegment line;

        Native() throws ReflectiveOperationException {
            Linker linker = Linker.nativeLinker();
            // Arena.global(): libX11 keeps the handler's address for the rest of the process.
            SymbolLookup x11 = SymbolLookup.libraryLookup("libX11.so.6", Arena.global());
            setIoErrorHandler =
                    linker.downcallHandle(
                            x11.findOrThrow("XSetIOErrorHandler"),
                            FunctionDescriptor.of(ADDRESS, ADDRESS));
            MethodHandle target =
                    MethodHandles.lookup()
                            .findStatic(
                                    XIoErrorExit.class,
                                    "onIoError",
                                    MethodType.methodType(int.class, MemorySegment.class));
            handler =
                    linker.upcallStub(
                            target, FunctionDescriptor.of(JAVA_INT, ADDRESS), Arena.global());
            write =
                    linker.downcallHandle(
                            Libc.symbol("write"),
                            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
            exit = linker.downcallHandle(Libc.symbol("_exit"), FunctionDescriptor.ofVoid(JAVA_INT));
            String display = System.getenv("DISPLAY");
            byte[] text =
                    (MESSAGE
                                    + (display == null ? "" : " " + display)
                                    + "; exiting (the agent stops with its control connection)\n")
                            .getBytes(StandardCharsets.UTF_8);
            line = Arena.global().allocate(text.length);
            line.copyFrom(MemorySegment.ofArray(text));
        }

        void say() throws Throwable {
            long ignored = (long) write.invokeExact(2, line, line.byteSize());
        }

        void exit() {
            try {
                exit.invokeExact(EXIT_STATUS);
            } catch (Throwable e) {
                // _exit does not return; a failed downcall leaves the old way out.
                Runtime.getRuntime().halt(EXIT_STATUS);
            }
        }
    }
}
