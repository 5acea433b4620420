package org.gamercompanion.app;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.testfx.util.WaitForAsyncUtils;

/** Reads UI state on the FX thread and waits on conditions (never on sleeps). */
public final class Fx {
    private Fx() {}

    /** Runs {@code c} on the FX thread and returns its value. */
    public static <T> T get(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("FX read failed: " + e, e);
        }
    }

    /** Waits up to {@code seconds} until {@code condition}, evaluated on the FX thread, holds. */
    public static void waitFor(String what, int seconds, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> get(condition));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for " + what, e);
        }
    }
}
