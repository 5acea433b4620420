package org.gamercompanion.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelStatusTest {
    @Test
    void missingSchedExtDirectoryMeansAbsent(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kernel/btf"));
        Files.writeString(sys.resolve("kernel/btf/vmlinux"), "");
        Path rel = Files.writeString(sys.resolve("osrelease"), "6.18.0\n");
        KernelStatus k = KernelStatus.read(sys, rel);
        assertThat(k).isEqualTo(new KernelStatus(true, "absent", "", "6.18.0"));
    }

    @Test
    void enabledSchedulerReportsItsOpsName(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kernel/sched_ext/root"));
        Files.writeString(sys.resolve("kernel/sched_ext/state"), "enabled\n");
        Files.writeString(sys.resolve("kernel/sched_ext/root/ops"), "gamer\n");
        KernelStatus k = KernelStatus.read(sys, sys.resolve("nope"));
        assertThat(k.btf()).isFalse();
        assertThat(k.schedExtState()).isEqualTo("enabled");
        assertThat(k.schedExtOps()).isEqualTo("gamer");
        assertThat(k.release()).isEqualTo("unknown");
    }

    @Test
    void thisMachineIsReadWithoutErrors() {
        KernelStatus k = KernelStatus.current();
        assertThat(k.release()).isNotBlank();
        assertThat(k.schedExtState())
                .isIn("absent", "disabled", "enabled", "enabling", "disabling");
    }
}
