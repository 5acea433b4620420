package org.gamercompanion.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.gamercompanion.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Everything {@code serve} refuses before it starts anything: exit 64 for what was typed or
 * configured wrong, 69 for what cannot be had, each with a message that names the flag or the file,
 * line and key. None of these starts an agent or binds a port (no root needed).
 */
class ServeCliTest {
    @TempDir Path tmp;

    private record Run(int status, String err) {}

    private static Run serve(String... args) {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(
                    Cli.run(all.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "9464 | is not HOST:PORT",
                "localhost:99999 | port must be 0..65535 (was 99999)",
                "example.com:9464 | is not an IP address (host names other than localhost are not resolved",
                "300.1.1.1:9464 | not a valid IPv4 address",
                "[::1:9464 | is not HOST:PORT",
                "[1:2:3:4:5:6:7:8:9]:9464 | not a valid IPv6 address"
            })
    void aBadListenAddressIsAUsageError(String listen, String message) {
        Run r = serve("--listen", listen);
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("--listen " + listen + ": ").contains(message);
    }

    @Test
    void aNonLoopbackAddressNeedsAllowRemoteAndThenAuthOrTls() {
        Run bare = serve("--listen", "0.0.0.0:9464");
        assertThat(bare.status()).isEqualTo(64);
        assertThat(bare.err())
                .contains("0.0.0.0:9464")
                .contains("not a loopback address")
                .contains("--allow-remote");
        Run open = serve("--listen", "0.0.0.0:9464", "--allow-remote");
        assertThat(open.status()).isEqualTo(64);
        assertThat(open.err()).contains("needs basic auth").contains("or TLS");
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedAndAMissingOneIsUnavailable() throws Exception {
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
        Run open = serve("--auth-user", "prom", "--auth-password-file", pw.toString());
        assertThat(open.status()).isEqualTo(64);
        assertThat(open.err())
                .contains("password file " + pw + ": mode 0644")
                .contains("chmod 600 " + pw);

        Run missing =
                serve(
                        "--auth-user",
                        "prom",
                        "--auth-password-file",
                        tmp.resolve("nope").toString());
        assertThat(missing.status()).isEqualTo(69);
        assertThat(missing.err())
                .contains("password file " + tmp.resolve("nope") + ": no such file");

        Files.writeString(pw, "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        assertThat(serve("--auth-user", "prom", "--auth-password-file", pw.toString()).err())
                .contains("the first line is empty");
        assertThat(serve("--auth-user", "prom").err())
                .contains("--auth-user and --auth-password-file go together");
    }

    @Test
    void aPortInUseIsUnavailableAndNothingIsLeftRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = serve("--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(r.status()).isEqualTo(69);
            assertThat(r.err())
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("in use")
                    .contains("choose another port");
        }
        // The port is checked before the agent starts: no agent was ever started by this JVM for
        // it.
        assertThat(
                        ProcessHandle.current()
                                .descendants()
                                .filter(
                                        p ->
                                                p.info()
                                                        .command()
                                                        .map(c -> c.endsWith("/gamer-agent"))
                                                        .orElse(false)))
                .isEmpty();
    }

    @Test
    void aNonNumericFlagValueIsAUsageErrorToo() {
        Run r = serve("--native-schema", "fine");
        assertThat(r.status()).isEqualTo(64);
        assertThat(serve("--native-schema", "9").err())
                .contains("--native-schema must be -4..8 (was 9)");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "listen = \"127.0.0.1:9464\"\\nalow_remote = true | line 2: unknown key alow_remote",
                "listen = 9464 | line 1: listen must be a string (was 9464)",
                "\\nlisten = \"0.0.0.0:99999\" | line 2: listen: port must be 0..65535",
                "native_schema = 12 | line 1: native_schema must be -4..8 (was 12)",
                "[auth]\\nuser = \"prom\" | line 1: [auth] needs both user and password_file",
                "[tls]\\ncert = \"/x\" | line 2: unknown key tls.cert",
                "profiles = \"yes\" | line 1: profiles must be true or false",
                "profiles_dir = \"rel/dir\" | line 1: profiles_dir must be an absolute path",
                "listen = \"127.0.0.1:9464 | line 1: ",
                "per_ring = true\\nper_ring = false | line 2: "
            })
    void aBadConfigNamesItsFileLineAndKey(String toml, String message) throws Exception {
        Path config = tmp.resolve("collector.toml");
        Files.writeString(config, toml.replace("\\n", "\n"));
        Run r = serve("--config", config.toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains(config + " " + message.strip());
    }

    @Test
    void aMissingConfigIsUnavailable() {
        Run r = serve("--config", tmp.resolve("collector.toml").toString());
        assertThat(r.status()).isEqualTo(69);
        assertThat(r.err()).contains("config " + tmp.resolve("collector.toml") + ": no such file");
    }

    @Test
    void theConfigsNonLoopbackAddressIsCheckedLikeTheFlag() throws Exception {
        Path config = tmp.resolve("collector.toml");
        Files.writeString(config, "listen = \"0.0.0.0:9464\"\nallow_remote = true\n");
        Run r = serve("--config", config.toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("needs basic auth");
    }

    @Test
    void thePackagedConfigIsValidAndServesLoopbackOnly() throws Exception {
        CollectorConfig c =
                CollectorConfig.load(
                        Path.of(
                                System.getProperty("user.dir"),
                                "installer/collector/collector.toml"));
        c.check();
        assertThat(c.listen().toString()).isEqualTo("127.0.0.1:9464");
        assertThat(c.listen().loopback()).isTrue();
        assertThat(c.allowRemote()).isFalse();
        assertThat(c.authUser()).isNull();
        assertThat(c.tlsCert()).isNull();
        assertThat(c.profiles()).isTrue();
        assertThat(c.profilesDir()).isEqualTo(Path.of("/etc/gamer-companion/profiles"));
        assertThat(c.nativeSchema()).isEqualTo(8);
    }
}
