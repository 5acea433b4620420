package org.gamercompanion.dashboard;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.gamercompanion.kernel.CpuTopology;
import org.gamercompanion.kernel.KernelStatus;
import org.junit.jupiter.api.AfterEach;

/** The view-model without the toolkit: a fake backend, and "FX thread" work run by the test. */
abstract class DashboardModelFixture {
    static final KernelStatus KERNEL = new KernelStatus(true, "absent", "", "6.18.0-test");

    /** Stands in for the FX thread: the test drains it. */
    final ConcurrentLinkedQueue<Runnable> fxQueue = new ConcurrentLinkedQueue<>();

    final Executor fx = fxQueue::add;
    final FakeBackend backend = new FakeBackend();

    /**
     * A recording period so long that only the first, immediate close happens by itself (live
     * snapshots still come at the display rate: the model is never told the window is hidden).
     */
    final DashboardModel model =
            new DashboardModel(backend, fx, KERNEL, CpuTopology.ofCount(2), 3_600_000);

    @AfterEach
    void shutDownModel() {
        model.shutdown(2000);
    }

    /** Lets the capture thread finish what was asked, then runs the queued FX work. */
    void settle() throws Exception {
        model.awaitIdle(5000);
        runFx();
    }

    /** Runs the FX work queued so far. */
    void runFx() {
        Runnable r;
        while ((r = fxQueue.poll()) != null) {
            r.run();
        }
    }
}
