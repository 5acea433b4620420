package org.gamercompanion.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * installer/polkit/org.gamercompanion.policy: valid against polkit's own DTD (the one polkitd
 * ships, found through its DOCTYPE public id with an XML catalog, no network), and saying what
 * docs/PRIVILEGES.md promises. pkactionKnowsTheAction in {@link PkexecLaunchTest} asks polkitd.
 */
class PolkitPolicyTest {
    private static final String PUBLIC_ID =
            "-//freedesktop//DTD polkit Policy Configuration 1.0//EN";
    private static Path dtd;

    @BeforeAll
    static void findPolkitDtd() {
        PrivilegedLaunchFixtures.assumePolkitTools();
        // Debian ships it in polkitd; ask dpkg rather than guess the path.
        PrivilegedLaunchFixtures.Result r =
                PrivilegedLaunchFixtures.run(List.of("dpkg-query", "-L", "polkitd"), 30);
        dtd =
                r.out()
                        .lines()
                        .filter(l -> l.endsWith("/policyconfig-1.dtd"))
                        .map(Path::of)
                        .findFirst()
                        .orElse(null);
        assumeTrue(
                dtd != null && Files.isReadable(dtd),
                "polkit's policyconfig-1.dtd not found (dpkg-query -L polkitd)");
    }

    @Test
    void policyIsValidAgainstPolkitsDtd(@TempDir Path tmp) throws Exception {
        PrivilegedLaunchFixtures.Result r =
                xmllintValid(tmp, PrivilegedLaunchFixtures.POLICY_SOURCE);
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).as("xmllint output").isEmpty();
    }

    /** The check above is a real one: a policy that breaks the DTD fails it. */
    @Test
    void aPolicyThatBreaksTheDtdFailsTheSameCheck(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken.policy");
        Files.writeString(
                broken,
                Files.readString(PrivilegedLaunchFixtures.POLICY_SOURCE)
                        .replace("<allow_any>no</allow_any>", "<allow_remote>no</allow_remote>"));
        PrivilegedLaunchFixtures.Result r = xmllintValid(tmp, broken);
        assertThat(r.code()).as(r.out()).isNotZero();
        assertThat(r.out()).contains("allow_remote");
    }

    @Test
    void actionStartsOnlyTheInstalledAgentAndOnlyFromTheActiveLocalSession() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // Structure only here; the DTD was checked above, and this parse must not go to the
        // network.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc =
                f.newDocumentBuilder().parse(PrivilegedLaunchFixtures.POLICY_SOURCE.toFile());
        assertThat(doc.getDoctype().getPublicId()).isEqualTo(PUBLIC_ID);
        var actions = doc.getElementsByTagName("action");
        assertThat(actions.getLength()).isEqualTo(1);
        Element action = (Element) actions.item(0);
        assertThat(action.getAttribute("id")).isEqualTo(AgentLauncher.POLKIT_ACTION);
        assertThat(text(action, "allow_any")).isEqualTo("no");
        assertThat(text(action, "allow_inactive")).isEqualTo("no");
        assertThat(text(action, "allow_active")).isEqualTo("auth_admin_keep");
        Element annotate = (Element) action.getElementsByTagName("annotate").item(0);
        assertThat(annotate.getAttribute("key")).isEqualTo("org.freedesktop.policykit.exec.path");
        assertThat(annotate.getTextContent())
                .isEqualTo(NativeBinaries.INSTALLED_DIR + "/gamer-agent");
        assertThat(text(action, "description")).isNotBlank();
        assertThat(text(action, "message")).isNotBlank();
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().strip();
    }

    /** xmllint --valid, the DOCTYPE's public id mapped to polkit's DTD by a catalog; --nonet. */
    private static PrivilegedLaunchFixtures.Result xmllintValid(Path tmp, Path policy)
            throws Exception {
        Path catalog = tmp.resolve("catalog.xml");
        Files.writeString(
                catalog,
                """
                <?xml version="1.0"?>
                <catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
                  <public publicId="%s" uri="%s"/>
                </catalog>
                """
                        .formatted(PUBLIC_ID, dtd.toUri()));
        return PrivilegedLaunchFixtures.run(
                List.of(
                        "env",
                        "XML_CATALOG_FILES=" + catalog,
                        "xmllint",
                        "--noout",
                        "--nonet",
                        "--valid",
                        policy.toString()),
                60);
    }
}
