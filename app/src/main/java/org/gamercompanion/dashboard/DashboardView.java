package org.gamercompanion.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.SegmentedButton;
import org.controlsfx.control.StatusBar;
import org.gamercompanion.process.ProcessInfo;
import org.gamercompanion.process.ProcessList;
import org.gamercompanion.recorder.Kind;
import org.gamercompanion.view.HistogramChart;
import org.gamercompanion.view.P99Strip;
import org.gamercompanion.view.PercentileTable;

/**
 * The main window's content, bound to a {@link DashboardModel}. Node ids (for tests and styling):
 * {@code kind-<kind id>}, {@code mode-interval}, {@code mode-cumulative}, {@code helpButton},
 * {@code processSearch}, {@code processList}, {@code watchButton}, {@code unwatchButton}, {@code
 * refreshProcesses}, {@code watchedLabel}, {@code mergedHistogram}, {@code ring-0} .. {@code
 * ring-15}, {@code percentileTable}, {@code p99Strip}, {@code statusBar}, {@code kernelLabel},
 * {@code inputHookLabel}, {@code agentLabel}, {@code startAgent}, {@code stopAgent}, {@code
 * restartAgent}, {@code selftestButton}, {@code schedulerLabel}, {@code schedulerButton}, {@code
 * settingsButton}, {@code abTestButton}, {@code compareButton}.
 */
public final class DashboardView extends BorderPane {
    public static final String STYLESHEET = "/org/gamercompanion/dashboard/dashboard.css";

    private final DashboardModel model;
    private final ObservableList<ProcessInfo> processes = FXCollections.observableArrayList();
    private ListView<ProcessInfo> processList;

    /** Feedback for the player (made with the toolbar, shown in the session bar). */
    private final Label messageLabel = new Label();

    /**
     * The process list follows what runs (issue 15 item 6: it kept dead processes until Refresh):
     * read again every 2 s while the window shows, never while it hides in the tray.
     */
    private final Timeline processRefresh =
            new Timeline(new KeyFrame(Duration.seconds(2), e -> refreshProcesses()));

    private final BooleanProperty helpShown = new SimpleBooleanProperty(this, "helpShown", false);
    private final Button settingsButton = new Button("S_ettings\u2026");
    private final Button abTestButton = new Button("_A/B test\u2026");
    private final Button compareButton = new Button("_Compare\u2026");

    public DashboardView(DashboardModel model) {
        this.model = model;
        getStyleClass().add("dashboard");
        getStylesheets().add(DashboardView.class.getResource(STYLESHEET).toExternalForm());
        setTop(toolbar());
        setLeft(targetPicker());
        // The help sits over the charts, inside the window (helpPanel).
        setCenter(new StackPane(charts(), helpPanel()));
        setBottom(statusBar());
        refreshProcesses();
        followProcessesWhileShown();
    }

    /*
     * Mnemonics (Alt + the underlined letter), one letter each: A/B test, Compare, Help, sEttings,
     * Watch, Profiles, Reset, recorDing, Start agent, restart aGent, stOp agent, seLf-test.
     */
    private ToolBar toolbar() {

        ToggleGroup kinds = new ToggleGroup();
        SegmentedButton kindButtons = new SegmentedButton();
        kindButtons.setToggleGroup(kinds);
        for (Kind k : List.of(Kind.INPUT_TO_RUN, Kind.WAKEUP_TO_RUN, Kind.PREEMPT_TO_RUN)) {
            ToggleButton b = new ToggleButton(DashboardModel.label(k));
            b.setId("kind-" + k.id());
            b.setUserData(k);
            b.setSelected(model.kindProperty().get() == k);
            kindButtons.getButtons().add(b);
        }
        kindButtons.setId("kindSelector");
        kinds.selectedToggleProperty()
                .addListener(
                        (o, was, is) -> {
                            if (is == null) {
                                was.setSelected(true); // one kind is always shown
                            } else {
                                model.kindProperty().set((Kind) is.getUserData());
                            }
                        });

        ToggleGroup modes = new ToggleGroup();
        SegmentedButton modeButtons = new SegmentedButton();
        modeButtons.setToggleGroup(modes);
        for (ViewMode m : ViewMode.values()) {
            ToggleButton b = new ToggleButton(m.label());
            b.setId("mode-" + m.name().toLowerCase(Locale.ROOT));
            b.setUserData(m);
            b.setSelected(model.modeProperty().get() == m);
            modeButtons.getButtons().add(b);
        }
        modes.selectedToggleProperty()
                .addListener(
                        (o, was, is) -> {
                            if (is == null) {
                                was.setSelected(true);
                            } else {
                                model.modeProperty().set((ViewMode) is.getUserData());
                            }
                        });

        Button helpButton = new Button("_Help");
        helpButton.setTooltip(new Tooltip("What do these numbers mean?"));
        helpButton.setId("helpButton");
        helpButton.setOnAction(e -> helpShown.set(!helpShown.get()));
        helpButton.setMinWidth(Region.USE_PREF_SIZE);

        Label message = messageLabel;
        message.setId("messageLabel");
        message.getStyleClass().add("message");
        message.textProperty().bind(model.messageProperty());
        Tooltip messageTip = new Tooltip();
        messageTip.textProperty().bind(model.messageProperty());
        // No empty tooltip box over an empty message line.
        message.tooltipProperty()
                .bind(
                        Bindings.when(model.messageProperty().isEmpty())
                                .then((Tooltip) null)
                                .otherwise(messageTip));
        message.setMaxWidth(Double.MAX_VALUE);
        // Long messages are cut (full text in the tooltip) rather than pushing Help into the
        // overflow menu.
        message.setPrefWidth(120);
        message.setMinWidth(40);
        message.setAlignment(Pos.CENTER_RIGHT);
        HBox.setHgrow(message, Priority.ALWAYS);
        settingsButton.setId("settingsButton");
        settingsButton.setMinWidth(Region.USE_PREF_SIZE);
        settingsButton.setVisible(false);
        settingsButton.managedProperty().bind(settingsButton.visibleProperty());
        for (Button b : List.of(abTestButton, compareButton)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setVisible(false);
            b.managedProperty().bind(b.visibleProperty());
        }
        abTestButton.setId("abTestButton");
        abTestButton.setTooltip(
                new Tooltip(
                        "Does a scheduler make your game feel better? Switch between two, round by"
                                + " round, and get a verdict with its confidence"));
        compareButton.setId("compareButton");
        compareButton.setTooltip(
                new Tooltip(
                        "Compare two recordings (sessions, A/B tests): the verdict, both"
                                + " distributions, the numbers"));
        // No title (the window's title bar has it) and no message (it lives in the session bar):
        // the
        // toolbar fits the window's minimum width without an overflow menu (issue 15 item 4).
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        return new ToolBar(
                kindButtons,
                modeButtons,
                grow,
                abTestButton,
                compareButton,
                helpButton,
                settingsButton);
    }

    /** Shows the A/B test button; {@code action} opens the A/B test window (the app owns it). */
    public void onAbTest(Runnable action) {
        abTestButton.setOnAction(e -> action.run());
        abTestButton.setVisible(true);
    }

    /** Shows the Compare button; {@code action} opens the Compare view (the app owns it). */
    public void onCompare(Runnable action) {
        compareButton.setOnAction(e -> action.run());
        compareButton.setVisible(true);
    }

    /**
     * Shows the Settings button; {@code action} opens the settings (the app owns them, not the
     * dashboard).
     */
    public void onSettings(Runnable action) {
        settingsButton.setOnAction(e -> action.run());
        settingsButton.setVisible(true);
    }

    /**
     * The help, a panel over the charts inside the window, not a popover: a popup window is
     * transparent around its frame, and on an X server without a compositor that transparency
     * showed as a white box; it also ran off the bottom of the window (issue 15 item 7). This one
     * scrolls, and Help, Close or Escape hides it.
     */
    private Node helpPanel() {
        VBox content = new VBox(8);
        content.setId("helpContent");
        content.getStyleClass().add("help-content");
        content.setPadding(new Insets(12));
        Label title = new Label("What the numbers mean");
        title.getStyleClass().add("help-title");
        Button close = new Button("Close");
        close.setId("helpClose");
        close.setCancelButton(true);
        close.setOnAction(e -> helpShown.set(false));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, title, grow, close);
        head.setAlignment(Pos.CENTER_LEFT);
        content.getChildren().add(head);
        for (MetricsHelp.Entry e : MetricsHelp.ENTRIES) {
            Label h = new Label(e.heading());
            h.getStyleClass().add(e.details() ? "help-details" : "help-heading");
            Label t = new Label(e.text());
            t.setWrapText(true);
            // Wrapped labels must not be squeezed into one ellipsised line.
            t.setMinHeight(Region.USE_PREF_SIZE);
            t.getStyleClass().add("help-text");
            content.getChildren().addAll(h, t);
        }
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("help-panel");
        scroll.setMaxWidth(620);
        scroll.setPrefWidth(620);
        scroll.setMaxHeight(Region.USE_PREF_SIZE);
        scroll.visibleProperty().bind(helpShown);
        scroll.managedProperty().bind(helpShown);
        StackPane.setAlignment(scroll, Pos.TOP_RIGHT);
        StackPane.setMargin(scroll, new Insets(8));
        return scroll;
    }

    private VBox targetPicker() {
        Label heading = new Label("Target");
        heading.getStyleClass().add("section-title");
        TextField search = new TextField();
        search.setId("processSearch");
        search.setPromptText("search name, command or pid");
        FilteredList<ProcessInfo> filtered = new FilteredList<>(processes);
        filtered.predicateProperty()
                .bind(
                        Bindings.createObjectBinding(
                                () -> p -> p.matches(search.getText()), search.textProperty()));
        ListView<ProcessInfo> list = new ListView<>(filtered);
        processList = list;
        list.setId("processList");
        list.setCellFactory(
                v ->
                        new ListCell<>() {
                            @Override
                            protected void updateItem(ProcessInfo p, boolean empty) {
                                super.updateItem(p, empty);
                                setText(empty || p == null ? null : p.label());
                                setTooltip(
                                        empty || p == null ? null : new Tooltip(p.commandLine()));
                            }
                        });
        VBox.setVgrow(list, Priority.ALWAYS);

        Button watch = new Button("_Watch");
        watch.setId("watchButton");
        watch.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        watch.setOnAction(e -> model.watch(list.getSelectionModel().getSelectedItem()));
        list.setOnMouseClicked(
                e -> {
                    if (e.getClickCount() == 2
                            && list.getSelectionModel().getSelectedItem() != null) {
                        model.watch(list.getSelectionModel().getSelectedItem());
                    }
                });
        Button unwatch = new Button("Unwatch");
        unwatch.setId("unwatchButton");
        unwatch.disableProperty().bind(model.watchedProperty().isNull());
        unwatch.setOnAction(e -> model.watch(null));
        Button refresh = new Button("\u27f3");
        refresh.setTooltip(new Tooltip("Read the process list again"));
        refresh.setId("refreshProcesses");
        refresh.setOnAction(e -> refreshProcesses());

        Label watched = new Label();
        watched.setId("watchedLabel");
        watched.getStyleClass().add("watched");
        watched.setWrapText(true);
        watched.textProperty().bind(model.watchingProperty());

        HBox buttons = new HBox(6, watch, unwatch, refresh);
        for (Button b : List.of(watch, unwatch, refresh)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        // Issue 4: the profile applied by detection, and the editor.
        Label activeProfile = new Label();
        activeProfile.setId("activeProfileLabel");
        activeProfile.setWrapText(true);
        activeProfile
                .textProperty()
                .bind(
                        Bindings.when(model.activeProfileProperty().isEmpty())
                                .then("No profile active")
                                .otherwise(
                                        Bindings.concat(
                                                "Profile: ", model.activeProfileProperty())));
        Button profilesButton = new Button("_Profiles\u2026");
        profilesButton.setId("profilesButton");
        profilesButton.setOnAction(e -> ProfileEditorWindow.show(getScene().getWindow()));

        VBox box =
                new VBox(
                        8,
                        heading,
                        watched,
                        search,
                        list,
                        buttons,
                        activeProfile,
                        profilesButton,
                        schedulerControl());
        box.getStyleClass().add("target-picker");
        box.setPadding(new Insets(10));
        box.setPrefWidth(280);
        box.setMinWidth(280);
        return box;
    }

    /**
     * The scheduler switch: what the agent reports, and a button that asks it to change. The button
     * stays usable where sched_ext is absent: the agent's refusal is then shown, which says why.
     */
    private VBox schedulerControl() {
        Label heading = new Label("Scheduler");
        heading.getStyleClass().add("section-title");
        Label state = new Label();
        state.setId("schedulerLabel");
        state.setWrapText(true);
        state.setMinHeight(Region.USE_PREF_SIZE);
        state.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () -> model.schedulerProperty().get().text(),
                                model.schedulerProperty()));
        Tooltip why = new Tooltip();
        why.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () -> model.schedulerProperty().get().detail(),
                                model.schedulerProperty()));
        state.setTooltip(why);
        Button toggle = new Button();
        toggle.setId("schedulerButton");
        toggle.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () ->
                                        model.schedulerProperty().get().isOn()
                                                ? "Turn scheduler off"
                                                : "Turn scheduler on",
                                model.schedulerProperty()));
        toggle.disableProperty().bind(model.canStopProperty().not());
        toggle.setOnAction(e -> model.toggleScheduler());
        return new VBox(6, heading, state, toggle);
    }

    /** Reads /proc off the FX thread and shows the result; the selected process stays selected. */
    public void refreshProcesses() {
        CompletableFuture.supplyAsync(
                        () -> ProcessList.system().read(),
                        r -> Thread.ofPlatform().daemon().name("process-list").start(r))
                .thenAccept(
                        list ->
                                Platform.runLater(
                                        () -> {
                                            ProcessInfo selected =
                                                    processList == null
                                                            ? null
                                                            : processList
                                                                    .getSelectionModel()
                                                                    .getSelectedItem();
                                            processes.setAll(list);
                                            if (selected != null) {
                                                for (ProcessInfo p : processList.getItems()) {
                                                    if (p.pid() == selected.pid()) {
                                                        processList.getSelectionModel().select(p);
                                                        break;
                                                    }
                                                }
                                            }
                                        }));
    }

    /** Refreshes the process list every 2 s while this view is in a showing window. */
    private void followProcessesWhileShown() {
        processRefresh.setCycleCount(Animation.INDEFINITE);
        sceneProperty()
                .flatMap(Scene::windowProperty)
                .flatMap(Window::showingProperty)
                .orElse(false)
                .addListener(
                        (o, was, showing) -> {
                            if (showing) {
                                refreshProcesses();
                                processRefresh.play();
                            } else {
                                processRefresh.stop();
                            }
                        });
    }

    private VBox charts() {
        HistogramChart merged = new HistogramChart();
        merged.setId("mergedHistogram");
        merged.dataProperty().bind(model.mergedProperty());
        HBox.setHgrow(merged, Priority.ALWAYS);
        // Small minimums, so the window's own minimum size keeps the bottom bar (Start/Stop agent)
        // on screen.
        merged.setMinHeight(140);

        PercentileTable table = new PercentileTable();
        table.setId("percentileTable");
        table.intervalProperty().bind(model.intervalSummaryProperty());
        table.sessionProperty().bind(model.sessionSummaryProperty());
        Label tableTitle = new Label("All rings");
        tableTitle.getStyleClass().add("section-title");
        VBox tableBox = new VBox(6, tableTitle, table);
        tableBox.getStyleClass().add("table-box");
        tableBox.setPadding(new Insets(8, 10, 8, 10));
        tableBox.setMinWidth(250);
        tableBox.setPrefWidth(250);

        // What the chart cannot say itself: what to do first, why it is empty, that it is not live.
        Label hint = new Label();
        hint.setId("chartHint");
        hint.getStyleClass().add("chart-hint");
        hint.setWrapText(true);
        hint.setMaxWidth(520);
        hint.setMouseTransparent(true);
        hint.textProperty().bind(model.chartHintProperty());
        hint.visibleProperty().bind(model.chartHintProperty().isNotEmpty());
        StackPane mergedPane = new StackPane(merged, hint);
        HBox.setHgrow(mergedPane, Priority.ALWAYS);
        HBox top = new HBox(8, mergedPane, tableBox);
        VBox.setVgrow(top, Priority.ALWAYS);

        P99Strip strip = new P99Strip();
        strip.setId("p99Strip");
        strip.seriesProperty().bind(model.p99SeriesProperty());
        strip.setMinHeight(56);
        strip.setPrefHeight(80);
        strip.setMaxHeight(80);

        // Tiles for the rings some CPU writes to; the others fold into one line (a 2-CPU machine
        // has
        // 14 rings that can never fill: 14 empty tiles said nothing and took the room).
        List<Integer> mapped = new ArrayList<>();
        for (int ring = 0; ring < model.ringCount(); ring++) {
            if (model.ringHasCpus(ring)) {
                mapped.add(ring);
            }
        }
        GridPane grid = new GridPane();
        grid.setId("ringGrid");
        grid.setHgap(4);
        grid.setVgap(4);
        int columns = Math.max(1, Math.min(8, mapped.size()));
        for (int c = 0; c < columns; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / columns);
            grid.getColumnConstraints().add(cc);
        }
        int rows = (mapped.size() + columns - 1) / columns;
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints(56, 120, rows == 1 ? 200 : 160);
            rc.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(rc);
        }
        for (int i = 0; i < mapped.size(); i++) {
            int ring = mapped.get(i);
            HistogramChart c = new HistogramChart();
            c.setCompact(true);
            c.setId("ring-" + ring);
            c.dataProperty().bind(model.ringProperty(ring));
            c.setMaxWidth(Double.MAX_VALUE);
            c.setMaxHeight(Double.MAX_VALUE);
            grid.add(c, i % columns, i / columns);
        }
        Label ringsTitle = new Label("Per ring (ring k serves CPUs k, k+16, \u2026)");
        ringsTitle.getStyleClass().add("section-title");
        Label folded = new Label(model.foldedRingsText());
        folded.setId("foldedRings");
        folded.getStyleClass().add("session-label");
        folded.setVisible(!folded.getText().isEmpty());
        folded.managedProperty().bind(folded.visibleProperty());

        VBox box = new VBox(8, sessionBar(), top, strip, ringsTitle, grid, folded);
        box.setPadding(new Insets(8));
        return box;
    }

    /**
     * The session the charts show (target, age, recording) with Reset and Record: the numbers are
     * the game's since a known moment, never another target's under its name.
     */
    private HBox sessionBar() {
        Label text = new Label();
        text.setId("sessionLabel");
        text.getStyleClass().add("session-label");
        text.textProperty().bind(model.sessionTextProperty());
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.SOMETIMES);
        Button reset = new Button("_Reset");
        reset.setId("sessionReset");
        reset.setTooltip(new Tooltip("Start the numbers again from now (same target)"));
        reset.setOnAction(e -> model.resetSession());
        Button record = new Button();
        record.setId("recordButton");
        record.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () ->
                                        model.sessionProperty().get().recording() == null
                                                ? "\u25cf Start recor_ding"
                                                : "\u25a0 Stop recor_ding",
                                model.sessionProperty()));
        record.setTooltip(
                new Tooltip(
                        "Record each session into an .hlog (a new target starts a new file); the Compare"
                                + " view lists them"));
        record.setOnAction(e -> model.toggleRecording());
        for (Button b : List.of(reset, record)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.disableProperty().bind(model.canStopProperty().not());
        }
        HBox bar = new HBox(8, text, messageLabel, reset, record);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("session-bar");
        return bar;
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("statusBar");
        bar.setFocusTraversable(false); // its buttons take the focus, not the bar
        bar.setText("");

        Label kernel = new Label();
        kernel.setId("kernelLabel");
        kernel.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () -> DashboardModel.kernelText(model.kernelProperty().get()),
                                model.kernelProperty()));
        kernel.setTooltip(new Tooltip("kernel " + model.kernelProperty().get().release()));
        kernel.setMinWidth(Region.USE_PREF_SIZE);
        Label hook = new Label();
        hook.setId("inputHookLabel");
        hook.textProperty().bind(Bindings.concat("input hook: ", model.inputHookProperty()));
        Tooltip hookTip = new Tooltip();
        hookTip.textProperty().bind(hook.textProperty());
        hook.setTooltip(hookTip);
        hook.setMinWidth(140);
        Label agent = new Label();
        agent.setId("agentLabel");
        agent.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () -> "agent: " + model.agentStatusProperty().get().text(),
                                model.agentStatusProperty()));
        Tooltip agentTip = new Tooltip();
        agentTip.textProperty()
                .bind(
                        Bindings.createStringBinding(
                                () -> {
                                    AgentStatus s = model.agentStatusProperty().get();
                                    return s.detail().isEmpty() ? s.text() : s.detail();
                                },
                                model.agentStatusProperty()));
        agent.setTooltip(agentTip);
        agent.getStyleClass().add("agent-label");
        // A long reason (what is missing, the exit reason) is cut here; the tooltip has all of it.
        agent.setMinWidth(150);
        agent.setMaxWidth(460);
        model.agentStatusProperty()
                .addListener(
                        (o, was, is) -> {
                            agent.getStyleClass().removeAll("exited", "running");
                            if (is.phase() == AgentStatus.Phase.EXITED
                                    || is.phase() == AgentStatus.Phase.FAILED) {
                                agent.getStyleClass().add("exited");
                            } else if (is.phase() == AgentStatus.Phase.RUNNING) {
                                agent.getStyleClass().add("running");
                            }
                        });

        Button start = new Button("_Start agent");
        start.setId("startAgent");
        start.setOnAction(e -> model.start());
        start.visibleProperty()
                .bind(model.canStartProperty().and(model.canRestartProperty().not()));
        start.managedProperty().bind(start.visibleProperty());
        Button restart = new Button("Restart a_gent");
        restart.setId("restartAgent");
        restart.getStyleClass().add("accent");
        restart.setOnAction(e -> model.restart());
        restart.visibleProperty().bind(model.canRestartProperty());
        restart.managedProperty().bind(restart.visibleProperty());
        Button stop = new Button("St_op agent");
        stop.setId("stopAgent");
        stop.setOnAction(e -> model.stop());
        stop.disableProperty().bind(model.canStopProperty().not());
        Button selftest = new Button();
        selftest.setId("selftestButton");
        selftest.textProperty()
                .bind(
                        Bindings.when(model.selftestRunningProperty())
                                .then("Stop se_lf-test")
                                .otherwise("Se_lf-test"));
        selftest.disableProperty()
                .bind(
                        Bindings.createBooleanBinding(
                                () -> {
                                    AgentStatus.Phase p = model.agentStatusProperty().get().phase();
                                    return p == AgentStatus.Phase.STARTING
                                            || p == AgentStatus.Phase.STOPPING;
                                },
                                model.agentStatusProperty()));
        selftest.setOnAction(e -> model.toggleSelftest());

        bar.getLeftItems()
                .addAll(
                        kernel,
                        new Separator(Orientation.VERTICAL),
                        hook,
                        new Separator(Orientation.VERTICAL),
                        agent,
                        new Separator(Orientation.VERTICAL));
        HBox right = new HBox(6, start, restart, stop, selftest);
        for (Button b : List.of(start, restart, stop, selftest)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        right.setAlignment(Pos.CENTER_RIGHT);
        bar.getRightItems().add(right);
        return bar;
    }
}
