package org.gamercompanion.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.gamercompanion.profile.Profile;

/**
 * Decides which profile, if any, a process belongs to. Pure: no I/O.
 *
 * <p>Precedence when several profiles match one process (docs/PROFILES.md): the most specific rule
 * wins, in this order: (0) the launch wrapper's {@code run --profile NAME} (and the children it
 * execs), (1) {@code steam_app_id}, (2) {@code exe} equal to the basename of /proc/PID/exe, (3)
 * {@code exe} equal to a wine/proton {@code .exe} on the command line, (4) {@code cmdline_regex}.
 * Among profiles that match by the same rule, the name that sorts first (ignoring case) wins, so
 * the result never depends on file order.
 *
 * <pre>{@code
 * ProfileMatcher m = ProfileMatcher.of(profiles);
 * m.match(ProcessIdentity.read(pid).orElseThrow()).ifPresent(hit -> System.out.println(hit.profile().name()));
 * }</pre>
 */
public final class ProfileMatcher {
    /** Why a profile matched, most specific first. */
    public enum Rule {
        /**
         * Named by the launch wrapper, or a process exec'd by one so named; never produced by
         * {@link #match}.
         */
        WRAPPER,
        STEAM_APP_ID,
        EXE,
        WINE_EXE,
        CMDLINE_REGEX
    }

    /** A profile that matched a process, and by which rule. */
    public record Hit(Profile profile, Rule rule, ProcessIdentity process) {}

    private record Compiled(Profile profile, Pattern regex) {}

    private final List<Compiled> profiles;

    private ProfileMatcher(List<Compiled> profiles) {
        this.profiles = profiles;
    }

    public static ProfileMatcher of(List<Profile> profiles) {
        List<Compiled> c = new ArrayList<>();
        for (Profile p : profiles) {
            String re = p.match().cmdlineRegex();
            c.add(new Compiled(p, re.isEmpty() ? null : Pattern.compile(re)));
        }
        c.sort(Comparator.comparing(x -> x.profile().name().toLowerCase(Locale.ROOT)));
        return new ProfileMatcher(List.copyOf(c));
    }

    /** The profile named {@code name}, if this matcher has it. */
    public Optional<Profile> byName(String name) {
        return profiles.stream()
                .map(Compiled::profile)
                .filter(p -> p.name().equals(name))
                .findFirst();
    }

    public boolean isEmpty() {
        return profiles.isEmpty();
    }

    /** The winning profile for this process under the precedence rule, if any matches. */
    public Optional<Hit> match(ProcessIdentity p) {
        Hit best = null;
        for (Compiled c : profiles) {
            Rule r = ruleFor(c, p);
            if (r != null && (best == null || r.ordinal() < best.rule().ordinal())) {
                best = new Hit(c.profile(), r, p);
            }
        }
        return Optional.ofNullable(best);
    }

    private static Rule ruleFor(Compiled c, ProcessIdentity p) {
        Profile.Match m = c.profile().match();
        if (m.steamAppId() != 0 && m.steamAppId() == p.steamAppId()) {
            return Rule.STEAM_APP_ID;
        }
        if (!p.exe().isEmpty() && m.exe().contains(p.exe())) {
            return Rule.EXE;
        }
        for (String winExe : p.windowsExes()) {
            for (String e : m.exe()) {
                if (e.equalsIgnoreCase(winExe)) {
                    return Rule.WINE_EXE;
                }
            }
        }
        if (c.regex() != null && c.regex().matcher(p.commandLine()).find()) {
            return Rule.CMDLINE_REGEX;
        }
        return null;
    }
}
