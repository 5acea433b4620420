package org.gamercompanion.abtest;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The A/B test window's content, bound to an {@link AbTestModel}. Node ids: {@code abA}, {@code
 * abB}, {@code abRounds}, {@code abSeconds}, {@code abSettle}, {@code abGame}, {@code abProblem},
 * {@code abStart}, {@code abStop}, {@code abProgress}, {@code abAsk} (the switch by hand: {@code
 * abPrompt}, {@code abContinue}), {@code abOutcome}.
 */
final class AbTestView extends VBox {
    /** Schedulers offered in the lists; any sched_ext scheduler's name can be typed in. */
    static final String[] OFFERED = {"default", "gamer", "scx_lavd", "scx_bpfland", "scx_simple"};

    /**
     * @param game what the test measures (the dashboard's "Watching: ..." line)
     */
    AbTestView(AbTestModel model, ObservableStringValue game) {
        setSpacing(10);
        setPadding(new Insets(14));
        getStyleClass().add("ab-test");

        ComboBox<String> a = schedulerBox("abA", model.aProperty().get());
        a.valueProperty().bindBidirectional(model.aProperty());
        ComboBox<String> b = schedulerBox("abB", model.bProperty().get());
        b.valueProperty().bindBidirectional(model.bProperty());
        Spinner<Integer> rounds = spinner("abRounds", 2, 100, model.roundsProperty().get());
        model.roundsProperty().bind(rounds.valueProperty());
        Spinner<Integer> seconds = spinner("abSeconds", 5, 600, model.roundSecondsProperty().get());
        model.roundSecondsProperty().bind(seconds.valueProperty());
        Spinner<Integer> settle = spinner("abSettle", 0, 60, model.settleSecondsProperty().get());
        model.settleSecondsProperty().bind(settle.valueProperty());

        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.addRow(0, label("Scheduler _A (baseline)", a), a);
        form.addRow(1, label("Scheduler _B", b), b);
        form.addRow(2, label("_Rounds (ABBA...)", rounds), rounds);
        form.addRow(3, label("Seconds per _round", seconds), seconds);
        form.addRow(4, label("Se_ttle after each switch (s)", settle), settle);
        Label gameLabel = new Label();
        gameLabel.setId("abGame");
        gameLabel
                .textProperty()
                .bind(
                        Bindings.concat(
                                "The game: ",
                                game,
                                " (pick it in the main window; the test watches what the main window watches)"));
        gameLabel.setWrapText(true);

        Label problem = wrapped("abProblem");
        problem.textProperty().bind(model.problemProperty());
        problem.getStyleClass().add("ab-problem");

        Button start = new Button("_Start A/B test");
        start.setId("abStart");
        start.disableProperty().bind(model.canStartProperty().not());
        start.setOnAction(e -> model.start());
        Button stop = new Button("Sto_p");
        stop.setId("abStop");
        stop.disableProperty().bind(model.runningProperty().not());
        stop.setOnAction(e -> model.stop());

        Label progress = wrapped("abProgress");
        progress.textProperty().bind(model.progressProperty());

        Label prompt = wrapped("abPrompt");
        prompt.textProperty().bind(model.promptProperty());
        Button go = new Button("_Continue");
        go.setId("abContinue");
        go.setOnAction(e -> model.answer(true));
        HBox ask = new HBox(10, prompt, go);
        ask.setId("abAsk");
        ask.visibleProperty().bind(model.promptProperty().isNotEmpty());
        ask.managedProperty().bind(ask.visibleProperty());
        ask.getStyleClass().add("ab-ask");

        Label outcome = wrapped("abOutcome");
        outcome.textProperty().bind(model.outcomeProperty());

        Label how = wrapped("abHow");
        how.setText(
                "Rounds alternate A B B A ..., so a game that gets busier over time weighs on both alike."
                        + " The first seconds after each switch are thrown away. Play normally the whole time: the"
                        + " verdict compares how long your key presses waited for the game's threads under each scheduler.");
        getChildren()
                .addAll(
                        form,
                        gameLabel,
                        how,
                        problem,
                        new HBox(10, start, stop),
                        progress,
                        ask,
                        outcome);
    }

    private static ComboBox<String> schedulerBox(String id, String value) {
        ComboBox<String> c = new ComboBox<>();
        c.getItems().addAll(OFFERED);
        c.setEditable(true);
        c.setValue(value);
        c.setId(id);
        return c;
    }

    private static Spinner<Integer> spinner(String id, int min, int max, int value) {
        Spinner<Integer> s = new Spinner<>(min, max, value);
        s.setEditable(true);
        s.setId(id);
        return s;
    }

    private static Label label(String text, Node target) {
        Label l = new Label(text);
        l.setMnemonicParsing(true);
        l.setLabelFor(target);
        return l;
    }

    private static Label wrapped(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMnemonicParsing(false);
        return l;
    }
}
