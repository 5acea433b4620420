package org.gamercompanion.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessListTest {
    @TempDir Path proc;

    private void process(long pid, String comm, int threads, String cmdlineWithNuls)
            throws IOException {
        Path d = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(d.resolve("comm"), comm + "\n");
        Files.writeString(d.resolve("cmdline"), cmdlineWithNuls);
        Files.writeString(
                d.resolve("status"),
                "Name:\t" + comm + "\nState:\tS\nThreads:\t" + threads + "\nVmRSS:\t1 kB\n");
    }

    @Test
    void readsNameThreadsAndCommandLineSortedByName() throws IOException {
        process(4242, "cs2", 57, "/games/cs2\0-novid\0");
        process(17, "Xorg", 3, "/usr/bin/Xorg\0:0\0");
        List<ProcessInfo> all = ProcessList.at(proc).read();
        assertThat(all)
                .containsExactly(
                        new ProcessInfo(4242, "cs2", 57, "/games/cs2 -novid"),
                        new ProcessInfo(17, "Xorg", 3, "/usr/bin/Xorg :0"));
    }

    @Test
    void kernelThreadsAndNonPidEntriesAreLeftOut() throws IOException {
        process(2, "kthreadd", 1, "");
        Files.createDirectories(proc.resolve("sys"));
        Files.writeString(proc.resolve("uptime"), "1 1");
        process(100, "game", 4, "game\0");
        assertThat(ProcessList.at(proc).read()).extracting(ProcessInfo::pid).containsExactly(100L);
    }

    @Test
    void aProcessThatVanishedWhileReadIsSkipped() throws IOException {
        Files.createDirectories(
                proc.resolve("555")); // no comm/cmdline: it exited between readdir and read
        process(7, "init", 1, "/sbin/init\0");
        assertThat(ProcessList.at(proc).read()).extracting(ProcessInfo::pid).containsExactly(7L);
        assertThat(ProcessList.at(proc).read(555)).isEmpty();
    }

    @Test
    void searchMatchesNameCommandLineOrPidPrefixIgnoringCase() {
        ProcessInfo p = new ProcessInfo(4242, "cs2", 57, "/games/Counter-Strike/cs2 -novid");
        assertThat(p.matches("CS2")).isTrue();
        assertThat(p.matches("counter")).isTrue();
        assertThat(p.matches("424")).isTrue();
        assertThat(p.matches("242")).isFalse();
        assertThat(p.matches("  ")).isTrue();
        assertThat(p.matches("dota")).isFalse();
    }

    @Test
    void theRealProcListContainsThisJvm() {
        long self = ProcessHandle.current().pid();
        assertThat(ProcessList.system().read())
                .anySatisfy(
                        p -> {
                            assertThat(p.pid()).isEqualTo(self);
                            assertThat(p.threads()).isGreaterThan(1);
                        });
    }
}
