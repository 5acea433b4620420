package org.gamercompanion.compare;

import java.io.IOException;

/** Two recordings that cannot be compared (no kind in common), said in words that name both files. */
public final class CompareException extends IOException {
    public CompareException(String message) {
        super(message);
    }
}
