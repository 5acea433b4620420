package org.gamercompanion.abtest;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.gamercompanion.ab.AbException;
import org.gamercompanion.ab.AbPlan;
import org.gamercompanion.ab.AbRunner;
import org.gamercompanion.ab.Prompter;
import org.gamercompanion.ab.SchedulerChoice;
import org.gamercompanion.dashboard.AgentController;
import org.gamercompanion.dashboard.DashboardModel;
import org.gamercompanion.recorder.Kind;

/**
 * The A/B test window's model: the plan the player sets up, the test's progress, a by-hand switch
 * waiting for Continue, and the outcome. Properties change on the {@code fx} executor only; the
 * test itself runs on the dashboard's capture thread ({@link DashboardModel#abTest}).
 *
 * <pre>{@code
 * AbTestModel m = new AbTestModel(dashboard, Platform::runLater, dir -> outDir, r -> openCompare(r.files()));
 * m.aProperty().set("default");
 * m.bProperty().set("gamer");
 * m.start();                                   // m.stop() ends it; m.answer(true) continues a switch by hand
 * }</pre>
 */
public final class AbTestModel {
    /** Where a test is. */
    public enum Phase {
        IDLE,
        RUNNING,
        ASKING,
        DONE,
        FAILED
    }

    private final DashboardModel dashboard;
    private final Executor fx;
    private final Supplier<Path> outDir;
    private final Consumer<AbRunner.Result> finished;

    private final StringProperty a = new SimpleStringProperty(this, "a", "default");
    private final StringProperty b = new SimpleStringProperty(this, "b", "gamer");
    private final IntegerProperty rounds = new SimpleIntegerProperty(this, "rounds", 4);
    private final IntegerProperty roundSeconds =
            new SimpleIntegerProperty(this, "roundSeconds", 15);
    private final IntegerProperty settleSeconds =
            new SimpleIntegerProperty(this, "settleSeconds", 2);
    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(Phase.IDLE);
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper prompt = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<AbRunner.Result> result = new ReadOnlyObjectWrapper<>();

    /** The by-hand switch being asked, completed with true (Continue) or false (Stop). */
    private volatile CompletableFuture<Boolean> pending;

    /**
     * @param outDir where each test's recordings go (a new folder per test)
     * @param finished told each result (on {@code fx}), e.g. to open the Compare view
     */
    public AbTestModel(
            DashboardModel dashboard,
            Executor fx,
            Supplier<Path> outDir,
            Consumer<AbRunner.Result> finished) {
        this.dashboard = dashboard;
        this.fx = fx;
        this.outDir = outDir;
        this.finished = finished;
        a.addListener(o -> check());
        b.addListener(o -> check());
        check();
    }

    /** The plan from the fields; throws with the field's problem. */
    AbPlan plan() {
        return new AbPlan(
                List.of(SchedulerChoice.parse(a.get()), SchedulerChoice.parse(b.get())),
                rounds.get(),
                roundSeconds.get(),
                settleSeconds.get(),
                Kind.INPUT_TO_RUN);
    }

    /** Says before the start what rules the plan out here (no sched_ext, a bad name). */
    private void check() {
        try {
            problem.set(AbRunner.unavailable(plan()).orElse(""));
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
        }
    }

    /** Starts the test (FX thread). */
    public void start() {
        AbPlan plan;
        try {
            plan = plan();
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            return;
        }
        phase.set(Phase.RUNNING);
        outcome.set("");
        progress.set("starting\u2026");
        dashboard.abTest(
                plan,
                outDir.get(),
                this::ask,
                new AbRunner.Listener() {
                    @Override
                    public void progress(AbRunner.Progress p) {
                        String text = p.text();
                        fx.execute(() -> progress.set(text));
                    }
                },
                done -> fx.execute(() -> end(done)));
    }

    private void end(AgentController.AbOutcome done) {
        prompt.set("");
        if (done.error() != null) {
            phase.set(Phase.FAILED);
            outcome.set(done.error());
            return;
        }
        AbRunner.Result r = done.result();
        result.set(r);
        phase.set(r.end() == AbRunner.End.COMPLETED ? Phase.DONE : Phase.FAILED);
        outcome.set(
                "A/B test "
                        + r.end().text()
                        + (r.why().isEmpty() || r.end() == AbRunner.End.STOPPED
                                ? ""
                                : ": " + r.why())
                        + "; "
                        + r.restored());
        finished.accept(r);
    }

    /** Ends the test early (any thread); a switch by hand that waits is answered Stop. */
    public void stop() {
        dashboard.stopAbTest();
        answer(false);
    }

    /** Answers the switch by hand that waits: Continue (true) or Stop (false). */
    public void answer(boolean goOn) {
        CompletableFuture<Boolean> p = pending;
        if (p != null) {
            p.complete(goOn);
        }
    }

    /**
     * The runner's {@link Prompter}: shows the instruction and waits for Continue (capture thread).
     */
    void ask(String instruction) throws AbException {
        CompletableFuture<Boolean> p = new CompletableFuture<>();
        pending = p;
        fx.execute(
                () -> {
                    prompt.set(instruction);
                    phase.set(Phase.ASKING);
                });
        boolean goOn;
        try {
            goOn = p.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            goOn = false;
        } catch (ExecutionException e) {
            goOn = false;
        } finally {
            pending = null;
        }
        fx.execute(
                () -> {
                    prompt.set("");
                    if (phase.get() == Phase.ASKING) {
                        phase.set(Phase.RUNNING);
                    }
                });
        if (!goOn) {
            throw new AbException("stopped at a switch by hand");
        }
    }

    // ---- properties

    StringProperty aProperty() {
        return a;
    }

    StringProperty bProperty() {
        return b;
    }

    IntegerProperty roundsProperty() {
        return rounds;
    }

    IntegerProperty roundSecondsProperty() {
        return roundSeconds;
    }

    IntegerProperty settleSecondsProperty() {
        return settleSeconds;
    }

    ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    /** {@code round 2 of 4 · B gamer · 11 s left ...} while it runs. */
    ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The by-hand switch to do now ("now start scx_simple ..."), "" when none waits. */
    ReadOnlyStringProperty promptProperty() {
        return prompt.getReadOnlyProperty();
    }

    /** How the last test ended, or why it could not run. */
    ReadOnlyStringProperty outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    /** What rules the plan out on this machine before it starts ("" when nothing does). */
    ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<AbRunner.Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Start is offered when no test runs and the plan can run here. */
    public BooleanBinding canStartProperty() {
        return Bindings.createBooleanBinding(
                () ->
                        (phase.get() == Phase.IDLE
                                        || phase.get() == Phase.DONE
                                        || phase.get() == Phase.FAILED)
                                && problem.get().isEmpty(),
                phase,
                problem);
    }

    BooleanBinding runningProperty() {
        return Bindings.createBooleanBinding(
                () -> phase.get() == Phase.RUNNING || phase.get() == Phase.ASKING, phase);
    }
}
