package org.gamercompanion.ab;

import java.util.Map;
import java.util.Optional;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.Reply;
import org.gamercompanion.kernel.KernelStatus;

/**
 * Puts the kernel on one arm's scheduler and checks in sysfs that it happened.
 *
 * <p>How: ours through our agent ({@code SCHED ON|OFF}); someone else's through scx_loader when its
 * D-Bus service offers it; otherwise the player does it when asked ("now start scx_simple, then
 * press Continue") and the switch reads {@code /sys/kernel/sched_ext} to see that it happened. Our
 * agent never starts another program.
 */
final class SchedulerSwitch {
    /** The agent commands a switch needs (a capture session's). */
    interface Agent {
        Reply sched(boolean on) throws AgentException;

        Map<String, String> status() throws AgentException;
    }

    /** How long the kernel may stay "enabling"/"disabling" after a switch. */
    private static final long SETTLE_TIMEOUT_MS = 10_000;

    /** How often a by-hand switch is asked again when sysfs does not show it. */
    private static final int ASK_AGAIN = 3;

    private final Agent agent;
    private final Optional<ScxLoader> loader;
    private final Prompter prompter;
    private final KernelClock kernel;

    /** Reads the kernel's sched_ext state; tests and the VM read the real sysfs. */
    interface KernelClock {
        KernelStatus read();

        /** Waits a little before reading again (the kernel is between states). */
        default void pause() throws InterruptedException {
            Thread.sleep(50);
        }
    }

    SchedulerSwitch(
            Agent agent, Optional<ScxLoader> loader, Prompter prompter, KernelClock kernel) {
        this.agent = agent;
        this.loader = loader;
        this.prompter = prompter;
        this.kernel = kernel;
    }

    /** What the kernel runs now, as a choice: what the test restores at its end. */
    SchedulerChoice current() throws InterruptedException {
        KernelStatus k = stable();
        return SchedulerChoice.ofKernel(k.schedExtState(), k.schedExtOps());
    }

    /**
     * Why {@code choice} cannot be switched to on this machine at all, before the test starts;
     * empty when it can (or may, by hand).
     */
    Optional<String> unavailable(SchedulerChoice choice) {
        if (choice.isDefault()) {
            return Optional.empty();
        }
        KernelStatus k = kernel.read();
        if ("absent".equals(k.schedExtState())) {
            return Optional.of(
                    "cannot switch to "
                            + choice.describe()
                            + " here: this kernel ("
                            + k.release()
                            + ") has no sched_ext (/sys/kernel/sched_ext is missing: it needs Linux 6.12+ built with"
                            + " CONFIG_SCHED_CLASS_EXT). An A/B test of schedulers needs one; 'compare A.hlog B.hlog'"
                            + " still compares any two recordings, and 'ab --a default --b default' measures this"
                            + " machine's own spread");
        }
        return Optional.empty();
    }

    /**
     * Switches to {@code choice} and returns the kernel's state afterwards ({@code enabled gamer},
     * {@code disabled}).
     */
    KernelStatus switchTo(SchedulerChoice choice) throws AbException, InterruptedException {
        Optional<String> why = unavailable(choice);
        if (why.isPresent()) {
            throw new AbException(why.get());
        }
        KernelStatus now = stable();
        if (choice.matches(now.schedExtState(), now.schedExtOps())
                && (!choice.isGamer() || ours())) {
            return now;
        }
        if ("enabled".equals(now.schedExtState())) {
            stopCurrent(now);
        }
        if (choice.isGamer()) {
            Reply r = sched(true);
            if (!r.ok()) {
                throw new AbException(
                        "the agent did not start gamer: " + String.join(" ", r.words()));
            }
        } else if (choice.isExternal()) {
            startExternal(choice);
        }
        return verify(choice);
    }

    private void stopCurrent(KernelStatus now) throws AbException, InterruptedException {
        if (ours()) {
            Reply r = sched(false);
            if (!r.ok()) {
                throw new AbException(
                        "the agent did not stop gamer: " + String.join(" ", r.words()));
            }
            return;
        }
        if (loader.isPresent() && !"unknown".equals(loader.get().current())) {
            loader.get().stop();
            return;
        }
        byHand(
                "stop the sched_ext scheduler \""
                        + now.schedExtOps()
                        + "\" (for example Ctrl+C in its terminal, or"
                        + " 'sudo systemctl stop' its service)",
                SchedulerChoice.DEFAULT);
    }

    private void startExternal(SchedulerChoice choice) throws AbException, InterruptedException {
        if (loader.isPresent() && loader.get().supported().contains(choice.loaderName())) {
            loader.get().switchTo(choice.loaderName());
            return;
        }
        byHand(
                "start "
                        + choice.name()
                        + " (for example 'sudo "
                        + choice.loaderName()
                        + "' in another terminal)",
                choice);
    }

    /** Asks the player, then checks sysfs; asks again (saying what sysfs shows) a few times. */
    private void byHand(String instruction, SchedulerChoice want)
            throws AbException, InterruptedException {
        String text = "now " + instruction + ", then press Continue";
        for (int i = 0; i < ASK_AGAIN; i++) {
            prompter.ask(text);
            KernelStatus k = stable();
            if (want.matches(k.schedExtState(), k.schedExtOps())) {
                return;
            }
            text =
                    "sched_ext is "
                            + describe(k)
                            + ", not "
                            + want.describe()
                            + ": "
                            + instruction
                            + ", then press Continue";
        }
        throw new AbException(
                "the scheduler was not switched to "
                        + want.describe()
                        + " (sched_ext is "
                        + describe(kernel.read())
                        + ")");
    }

    private KernelStatus verify(SchedulerChoice choice) throws AbException, InterruptedException {
        KernelStatus k = stable();
        if (!choice.matches(k.schedExtState(), k.schedExtOps())) {
            throw new AbException(
                    "switched to " + choice.describe() + " but sched_ext is " + describe(k));
        }
        return k;
    }

    /** The kernel's state once it is not between two schedulers (bounded wait). */
    private KernelStatus stable() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_MS * 1_000_000;
        KernelStatus k = kernel.read();
        while (("enabling".equals(k.schedExtState()) || "disabling".equals(k.schedExtState()))
                && System.nanoTime() < deadline) {
            kernel.pause();
            k = kernel.read();
        }
        return k;
    }

    private boolean ours() throws AbException {
        try {
            return "agent".equals(agent.status().get("sched_owner"));
        } catch (AgentException e) {
            throw new AbException("the agent did not answer: " + e.getMessage());
        }
    }

    private Reply sched(boolean on) throws AbException {
        try {
            return agent.sched(on);
        } catch (AgentException e) {
            throw new AbException("the agent did not answer: " + e.getMessage());
        }
    }

    static String describe(KernelStatus k) {
        return "enabled".equals(k.schedExtState())
                ? "enabled (" + k.schedExtOps() + ")"
                : k.schedExtState();
    }
}
