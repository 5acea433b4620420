package org.gamercompanion.view;

import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Control;
import javafx.scene.control.SkinBase;

/**
 * A skin that draws its control on one Canvas sized to the control. It redraws only when one of the
 * watched properties changes or the size changes, and unregisters its listeners in {@link
 * #dispose()}.
 *
 * <p>A change of a watched property redraws at once (the canvas keeps the commands until the next
 * pulse renders them) instead of requesting a layout: the charts change with every display frame,
 * and a layout request walks up to the scene's root and lays out every parent on the way, which
 * cost the FX thread more than the drawing. Only a size change goes through layout.
 */
abstract class CanvasSkin<C extends Control> extends SkinBase<C> {
    private final Canvas canvas = new Canvas();
    /* A change listener, not an invalidation listener: a bound property stays invalid (and silent)
    until read, and this skin reads it only when it draws. */
    private final ChangeListener<Object> redraw = (o, was, is) -> requestDraw();
    private final ObservableValue<?>[] watched;
    private boolean dirty = true;

    CanvasSkin(C control, ObservableValue<?>... watched) {
        super(control);
        this.watched = watched;
        canvas.setManaged(false);
        getChildren().add(canvas);
        for (ObservableValue<?> o : watched) {
            o.addListener(redraw);
        }
    }

    private void requestDraw() {
        dirty = true;
        if (canvas.getWidth() > 0 && canvas.getHeight() > 0) {
            drawNow();
        } else {
            getSkinnable().requestLayout(); // not laid out yet: layoutChildren draws
        }
    }

    private void drawNow() {
        dirty = false;
        long t0 = System.nanoTime();
        draw(canvas.getGraphicsContext2D(), canvas.getWidth(), canvas.getHeight());
        DrawStats.record(System.nanoTime() - t0);
    }

    @Override
    protected void layoutChildren(double x, double y, double w, double h) {
        double cw = Math.floor(w);
        double ch = Math.floor(h);
        if (canvas.getWidth() != cw || canvas.getHeight() != ch) {
            canvas.setWidth(cw);
            canvas.setHeight(ch);
            dirty = true;
        }
        canvas.relocate(x, y);
        if (dirty && cw > 0 && ch > 0) {
            drawNow();
        }
    }

    abstract void draw(GraphicsContext g, double w, double h);

    @Override
    protected double computePrefWidth(
            double height, double top, double right, double bottom, double left) {
        return 200;
    }

    @Override
    protected double computePrefHeight(
            double width, double top, double right, double bottom, double left) {
        return 120;
    }

    @Override
    protected double computeMinWidth(
            double height, double top, double right, double bottom, double left) {
        return 40;
    }

    @Override
    protected double computeMinHeight(
            double width, double top, double right, double bottom, double left) {
        return 30;
    }

    @Override
    public void dispose() {
        for (ObservableValue<?> o : watched) {
            o.removeListener(redraw);
        }
        getChildren().remove(canvas);
        super.dispose();
    }
}
