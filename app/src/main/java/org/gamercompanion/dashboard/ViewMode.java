package org.gamercompanion.dashboard;

/** Which histograms the charts show. */
enum ViewMode {
    /** The last sampler interval (a quarter of a second): what is happening now. */
    INTERVAL("last interval"),
    /** Everything since the agent started. */
    CUMULATIVE("session");

    private final String label;

    ViewMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
