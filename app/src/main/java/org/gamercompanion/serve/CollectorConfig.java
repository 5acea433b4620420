package org.gamercompanion.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import org.gamercompanion.metrics.LatencyMetrics;
import org.gamercompanion.metrics.Listen;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * What {@code serve} runs with: the config file ({@code /etc/gamer-companion/collector.toml} for
 * the packaged unit; docs/COLLECTOR.md) with the command-line flags on top. Every check that can
 * fail before anything starts is here, with a message naming the flag, or the file, line and key.
 *
 * <pre>{@code
 * CollectorConfig c = CollectorConfig.load(Path.of("/etc/gamer-companion/collector.toml"))
 *         .withListen("0.0.0.0:9464", "--listen");
 * c.check();   // ServeException(64) for a non-loopback address without allow_remote and auth or TLS
 * }</pre>
 *
 * @param listen where to serve (default {@link Listen#DEFAULT}: loopback)
 * @param allowRemote a non-loopback {@code listen} is intended ({@code --allow-remote}, {@code
 *     allow_remote})
 * @param authUser basic auth user, or null for none
 * @param passwordFile the password of {@code authUser}: one line, mode 0600 (or 0400)
 * @param tlsCert PEM certificate chain, or null for plain HTTP
 * @param tlsKey PEM PKCS#8 private key of {@code tlsCert}, mode 0600 (or 0400)
 * @param profiles detect games by their profiles, watch them and label them {@code game}
 * @param profilesDir where the profiles are (null: the invoking user's)
 * @param perRing also export per-ring histograms
 * @param nativeSchema native histogram schema, -4..8
 * @param source where the values came from, for messages ({@code collector.toml} or {@code the
 *     command line})
 */
public record CollectorConfig(
        Listen listen,
        boolean allowRemote,
        String authUser,
        Path passwordFile,
        Path tlsCert,
        Path tlsKey,
        boolean profiles,
        Path profilesDir,
        boolean perRing,
        int nativeSchema,
        String source) {

    private static final Set<String> TOP =
            Set.of(
                    "listen",
                    "allow_remote",
                    "profiles",
                    "profiles_dir",
                    "per_ring",
                    "native_schema",
                    "auth",
                    "tls");
    private static final Set<String> AUTH = Set.of("user", "password_file");
    private static final Set<String> TLS = Set.of("cert_file", "key_file");

    /** Config files are a few hundred bytes; a large one is the wrong file. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    /** Loopback, no auth, no TLS, no profiles, merged histograms, native schema 8. */
    public static CollectorConfig defaults() {
        return new CollectorConfig(
                Listen.parse(Listen.DEFAULT),
                false,
                null,
                null,
                null,
                null,
                false,
                null,
                false,
                LatencyMetrics.Options.defaults().nativeSchema(),
                "the defaults");
    }

    /**
     * Reads a config file; keys it does not set keep their defaults. Unknown keys are errors: a
     * misspelt {@code allow_remote} or {@code password_file} must not be ignored silently.
     *
     * @throws ServeException 69 when the file cannot be read, 64 when it is not valid (file, line,
     *     key)
     */
    public static CollectorConfig load(Path file) throws ServeException {
        String text = read(file);
        String where = file.toString();
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            throw ServeException.usage(
                    where
                            + " line "
                            + e.position().line()
                            + ": "
                            + e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", "")
                            + " (TOML syntax)");
        }
        checkKeys(where, toml, toml, "", TOP);
        CollectorConfig d = defaults();
        Listen listen = d.listen();
        if (toml.contains("listen")) {
            String v = string(where, toml, "listen");
            try {
                listen = Listen.parse(v);
            } catch (IllegalArgumentException e) {
                throw ServeException.usage(
                        where + " line " + line(toml, "listen") + ": listen: " + e.getMessage());
            }
        }
        int schema = d.nativeSchema();
        if (toml.contains("native_schema")) {
            if (!toml.isLong("native_schema")) {
                throw ServeException.usage(
                        where
                                + " line "
                                + line(toml, "native_schema")
                                + ": native_schema must be an integer -4..8 (was "
                                + toml.get("native_schema")
                                + ")");
            }
            long v = toml.getLong("native_schema");
            if (v < -4 || v > 8) {
                throw ServeException.usage(
                        where
                                + " line "
                                + line(toml, "native_schema")
                                + ": native_schema must be -4..8 (was "
                                + v
                                + ")");
            }
            schema = (int) v;
        }
        String user = null;
        Path password = null;
        if (toml.contains("auth")) {
            TomlTable t = table(where, toml, "auth");
            checkKeys(where, toml, t, "auth.", AUTH);
            user = toml.contains("auth.user") ? string(where, toml, "auth.user") : null;
            password =
                    toml.contains("auth.password_file")
                            ? path(where, toml, "auth.password_file")
                            : null;
            if (user != null && (user.isEmpty() || user.contains(":"))) {
                throw ServeException.usage(
                        where
                                + " line "
                                + line(toml, "auth.user")
                                + ": auth.user must be non-empty and without ':' (HTTP basic auth)");
            }
            if ((user == null) != (password == null)) {
                throw ServeException.usage(
                        where
                                + " line "
                                + line(toml, "auth")
                                + ": [auth] needs both user and"
                                + " password_file");
            }
        }
        Path cert = null;
        Path key = null;
        if (toml.contains("tls")) {
            TomlTable t = table(where, toml, "tls");
            checkKeys(where, toml, t, "tls.", TLS);
            cert = toml.contains("tls.cert_file") ? path(where, toml, "tls.cert_file") : null;
            key = toml.contains("tls.key_file") ? path(where, toml, "tls.key_file") : null;
            if ((cert == null) != (key == null)) {
                throw ServeException.usage(
                        where
                                + " line "
                                + line(toml, "tls")
                                + ": [tls] needs both cert_file and key_file");
            }
        }
        return new CollectorConfig(
                listen,
                bool(where, toml, "allow_remote", false),
                user,
                password,
                cert,
                key,
                bool(where, toml, "profiles", false),
                toml.contains("profiles_dir") ? path(where, toml, "profiles_dir") : null,
                bool(where, toml, "per_ring", false),
                schema,
                where);
    }

    /**
     * Checks the combination before anything starts: a non-loopback address needs {@code
     * allow_remote} and then basic auth or TLS.
     */
    public void check() throws ServeException {
        if (!listen.loopback()) {
            if (!allowRemote) {
                throw ServeException.usage(
                        "listen "
                                + listen
                                + " ("
                                + source
                                + ") is not a loopback address: other"
                                + " machines could scrape it. Say so with --allow-remote (allow_remote = true) and protect it"
                                + " with basic auth (--auth-user and --auth-password-file) or TLS (--tls-cert and --tls-key)");
            }
            if (authUser == null && tlsCert == null) {
                throw ServeException.usage(
                        "listen "
                                + listen
                                + " is not a loopback address: it needs basic auth"
                                + " (--auth-user U --auth-password-file F, or [auth] in the config) or TLS (--tls-cert,"
                                + " --tls-key, or [tls]), or both; docs/COLLECTOR.md shows how");
            }
        }
    }

    public CollectorConfig withListen(Listen l) {
        return with(
                d -> {
                    d.listen = l;
                    d.source = "the command line";
                });
    }

    public CollectorConfig withAllowRemote() {
        return with(d -> d.allowRemote = true);
    }

    public CollectorConfig withAuth(String user, Path password) {
        return with(
                d -> {
                    d.authUser = user;
                    d.passwordFile = password;
                });
    }

    public CollectorConfig withTls(Path cert, Path key) {
        return with(
                d -> {
                    d.tlsCert = cert;
                    d.tlsKey = key;
                });
    }

    public CollectorConfig withProfiles(boolean on, Path dir) {
        return with(
                d -> {
                    d.profiles = on;
                    if (dir != null) {
                        d.profilesDir = dir;
                    }
                });
    }

    public CollectorConfig withPerRing() {
        return with(d -> d.perRing = true);
    }

    public CollectorConfig withNativeSchema(int schema) {
        return with(d -> d.nativeSchema = schema);
    }

    /** A copy with {@code change} applied: the command line's overrides, one field or two each. */
    private CollectorConfig with(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new CollectorConfig(
                d.listen,
                d.allowRemote,
                d.authUser,
                d.passwordFile,
                d.tlsCert,
                d.tlsKey,
                d.profiles,
                d.profilesDir,
                d.perRing,
                d.nativeSchema,
                d.source);
    }

    /** The record's fields, mutable, for {@link #with}. */
    private static final class Draft {
        Listen listen;
        boolean allowRemote;
        String authUser;
        Path passwordFile;
        Path tlsCert;
        Path tlsKey;
        boolean profiles;
        Path profilesDir;
        boolean perRing;
        int nativeSchema;
        String source;

        Draft(CollectorConfig c) {
            listen = c.listen;
            allowRemote = c.allowRemote;
            authUser = c.authUser;
            passwordFile = c.passwordFile;
            tlsCert = c.tlsCert;
            tlsKey = c.tlsKey;
            profiles = c.profiles;
            profilesDir = c.profilesDir;
            perRing = c.perRing;
            nativeSchema = c.nativeSchema;
            source = c.source;
        }
    }

    private static String read(Path file) throws ServeException {
        try {
            if (!Files.isRegularFile(file)) {
                throw ServeException.unavailable(
                        "config "
                                + file
                                + ": "
                                + (Files.exists(file) ? "not a regular file" : "no such file")
                                + " (see docs/COLLECTOR.md for its keys)",
                        null);
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw ServeException.usage(
                        "config "
                                + file
                                + ": "
                                + size
                                + " bytes, over the "
                                + MAX_FILE_BYTES
                                + "-byte limit; is it the right file?");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ServeException.usage("config " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw ServeException.unavailable(
                    "config " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void checkKeys(
            String where, TomlParseResult toml, TomlTable t, String prefix, Set<String> known)
            throws ServeException {
        for (String k : t.keySet()) {
            if (!known.contains(k)) {
                throw ServeException.usage(
                        where
                                + " line "
                                + line(toml, prefix + k)
                                + ": unknown key "
                                + prefix
                                + k
                                + " (known: "
                                + String.join(", ", known.stream().sorted().toList())
                                + ")");
            }
        }
    }

    private static TomlTable table(String where, TomlParseResult toml, String key)
            throws ServeException {
        if (!toml.isTable(key)) {
            throw ServeException.usage(
                    where
                            + " line "
                            + line(toml, key)
                            + ": "
                            + key
                            + " must be a table (["
                            + key
                            + "])");
        }
        return toml.getTable(key);
    }

    private static boolean bool(String where, TomlParseResult toml, String key, boolean dflt)
            throws ServeException {
        if (!toml.contains(key)) {
            return dflt;
        }
        if (!toml.isBoolean(key)) {
            throw ServeException.usage(
                    where
                            + " line "
                            + line(toml, key)
                            + ": "
                            + key
                            + " must be true or false (was "
                            + toml.get(key)
                            + ")");
        }
        return toml.getBoolean(key);
    }

    private static String string(String where, TomlParseResult toml, String key)
            throws ServeException {
        if (!toml.isString(key)) {
            throw ServeException.usage(
                    where
                            + " line "
                            + line(toml, key)
                            + ": "
                            + key
                            + " must be a string (was "
                            + toml.get(key)
                            + ")");
        }
        return toml.getString(key);
    }

    private static Path path(String where, TomlParseResult toml, String key) throws ServeException {
        String v = string(where, toml, key);
        if (v.isEmpty() || !v.startsWith("/")) {
            throw ServeException.usage(
                    where
                            + " line "
                            + line(toml, key)
                            + ": "
                            + key
                            + " must be an absolute path (was \""
                            + v
                            + "\")");
        }
        return Path.of(v);
    }

    private static int line(TomlParseResult toml, String key) {
        TomlPosition p = toml.inputPositionOf(key);
        return p == null ? 1 : p.line();
    }
}
