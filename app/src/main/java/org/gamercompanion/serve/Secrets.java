package org.gamercompanion.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.gamercompanion.metrics.MetricsEndpoint;

/**
 * Reads what protects the endpoint: the basic auth password file and the TLS certificate and key. A
 * secret file must be readable by its owner only (mode 0600 or 0400): one that others can read is
 * refused, as ssh refuses such a key, because its secret is not one any more.
 */
final class Secrets {
    /** Password and key files are small; a large one is the wrong file. */
    private static final long MAX_SECRET_BYTES = 64 * 1024;

    private Secrets() {}

    /**
     * The endpoint's access rules for {@code c}: basic auth when it names a user, TLS when it names
     * a certificate.
     */
    static MetricsEndpoint.Access access(CollectorConfig c) throws ServeException {
        byte[] password = null;
        if (c.authUser() != null) {
            password = password(c.passwordFile());
        }
        SSLContext tls = c.tlsCert() == null ? null : tls(c.tlsCert(), c.tlsKey());
        return new MetricsEndpoint.Access(c.authUser(), password, tls);
    }

    /**
     * The password: the file's first line without its line end (the format of Prometheus's own
     * {@code basic_auth.password_file}, so one file serves both sides).
     */
    static byte[] password(Path file) throws ServeException {
        byte[] bytes = readSecret(file, "password file");
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        if (end == 0) {
            throw ServeException.usage(
                    "password file "
                            + file
                            + ": the first line is empty; write the password into it"
                            + " (e.g. openssl rand -base64 24 > "
                            + file
                            + ")");
        }
        return Arrays.copyOf(bytes, end);
    }

    /** A server TLS context from a PEM certificate chain and a PEM PKCS#8 private key. */
    static SSLContext tls(Path certFile, Path keyFile) throws ServeException {
        Collection<? extends Certificate> chain;
        try {
            chain =
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(
                                    new ByteArrayInputStream(
                                            readFile(certFile, "TLS certificate")));
        } catch (GeneralSecurityException e) {
            throw ServeException.usage(
                    "TLS certificate " + certFile + ": not a PEM certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw ServeException.usage(
                    "TLS certificate "
                            + certFile
                            + ": holds no certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key = privateKey(keyFile, chain.iterator().next().getPublicKey().getAlgorithm());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("collector", key, none, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw ServeException.usage(
                    "TLS key "
                            + keyFile
                            + " does not fit certificate "
                            + certFile
                            + ": "
                            + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) throws ServeException {
        String pem = new String(readSecret(file, "TLS key"), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            String found =
                    pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                            ? "a traditional (PKCS#1/SEC1) key; convert it: openssl pkcs8 -topk8 -nocrypt -in "
                                    + file
                                    + " -out NEW"
                            : pem.contains("ENCRYPTED")
                                    ? "an encrypted key; the collector starts unattended: decrypt it with"
                                            + " openssl pkcs8 -topk8 -nocrypt"
                                    : "no " + begin + " block";
            throw ServeException.usage("TLS key " + file + ": " + found);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException ex) {
            throw ServeException.usage(
                    "TLS key "
                            + file
                            + ": not a "
                            + algorithm
                            + " PKCS#8 key matching the certificate: "
                            + ex.getMessage());
        }
    }

    /** Reads a file that holds a secret: refused unless only its owner may read it. */
    private static byte[] readSecret(Path file, String what) throws ServeException {
        byte[] bytes = readFile(file, what);
        try {
            Set<PosixFilePermission> perms =
                    Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> others =
                    Set.of(
                            PosixFilePermission.GROUP_READ,
                            PosixFilePermission.GROUP_WRITE,
                            PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_READ,
                            PosixFilePermission.OTHERS_WRITE,
                            PosixFilePermission.OTHERS_EXECUTE);
            if (perms.stream().anyMatch(others::contains)) {
                throw ServeException.usage(
                        what
                                + " "
                                + file
                                + ": mode "
                                + mode(perms)
                                + " lets other users read or change"
                                + " it; make it readable by its owner only: chmod 600 "
                                + file);
            }
        } catch (IOException e) {
            throw ServeException.unavailable(
                    what + " " + file + ": cannot read its mode: " + e.getMessage(), e);
        }
        return bytes;
    }

    private static byte[] readFile(Path file, String what) throws ServeException {
        try {
            if (Files.isSymbolicLink(file)) {
                throw ServeException.usage(
                        what + " " + file + ": is a symbolic link; give the file itself");
            }
            if (!Files.isRegularFile(file)) {
                throw ServeException.unavailable(
                        what
                                + " "
                                + file
                                + ": "
                                + (Files.exists(file) ? "not a regular file" : "no such file"),
                        null);
            }
            if (Files.size(file) > MAX_SECRET_BYTES) {
                throw ServeException.usage(
                        what
                                + " "
                                + file
                                + ": over "
                                + MAX_SECRET_BYTES
                                + " bytes; is it the right file?");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw ServeException.unavailable(what + " " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw ServeException.unavailable(
                    what
                            + " "
                            + file
                            + ": permission denied (the collector runs as "
                            + System.getProperty("user.name")
                            + ")",
                    e);
        } catch (IOException e) {
            throw ServeException.unavailable(
                    what + " " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", m);
    }
}
