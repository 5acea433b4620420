package org.gamercompanion.recording;

import java.nio.file.Path;
import java.util.List;

/**
 * The committed real recordings (src/test/resources/recordings/README.md says where and how each
 * was recorded): never generated, never edited.
 */
public final class Fixtures {
    private Fixtures() {}

    public static final Path DIR = Path.of("src/test/resources/recordings");

    /** Self-test on an idle 2-CPU machine. */
    public static final Path QUIET = DIR.resolve("selftest-quiet.hlog");

    /** The same self-test with four busy loops on the same 2 CPUs. */
    public static final Path HOGS = DIR.resolve("selftest-4hogs.hlog");

    /**
     * Arm A (default EEVDF) of an {@code ab} run in the VM tier: sched_ext kernel, real keys, 4
     * hogs.
     */
    public static final Path VM_AB_DEFAULT = DIR.resolve("vm-ab-default.hlog");

    /** Arm B (gamer) of the same {@code ab} run. */
    public static final Path VM_AB_GAMER = DIR.resolve("vm-ab-gamer.hlog");

    public static List<Path> all() {
        return List.of(QUIET, HOGS, VM_AB_DEFAULT, VM_AB_GAMER);
    }
}
