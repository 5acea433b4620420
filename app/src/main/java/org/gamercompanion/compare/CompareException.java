package org.gamercompanion.compare;

import java.io.IOException;

/**
 * Two recordings that cannot be compared (no kind in common), said in words that name both files.
 */
final class CompareException extends IOException {
    CompareException(String message) {
        super(message);
    }
}
