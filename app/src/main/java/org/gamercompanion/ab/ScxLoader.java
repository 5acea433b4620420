package org.gamercompanion.ab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * scx_loader's D-Bus service ({@code org.scx.Loader} on the system bus, object {@code
 * /org/scx/Loader}): the CachyOS way to run sched_ext schedulers. Its own polkit rules decide who
 * may switch; we only ask. Spoken through {@code busctl} (systemd's D-Bus tool, on every systemd
 * desktop) as the player, so no D-Bus library and no privilege of ours is involved.
 *
 * <pre>{@code
 * ScxLoader.find().ifPresent(l -> l.switchTo("scx_lavd"));
 * }</pre>
 */
final class ScxLoader {
    private static final String[] OBJECT = {"org.scx.Loader", "/org/scx/Loader", "org.scx.Loader"};

    /**
     * busctl's own call timeout: a switch loads a BPF scheduler, which takes seconds, not minutes.
     */
    private static final String TIMEOUT = "--timeout=30";

    private final String busctl;

    private ScxLoader(String busctl) {
        this.busctl = busctl;
    }

    /** The loader when busctl exists and the service answers on the system bus; empty otherwise. */
    static Optional<ScxLoader> find() {
        ScxLoader l = new ScxLoader("busctl");
        try {
            l.supported();
            return Optional.of(l);
        } catch (AbException e) {
            return Optional.empty();
        }
    }

    /** {@code SupportedSchedulers}: the names it can start ({@code scx_lavd}, ...). */
    List<String> supported() throws AbException {
        JsonNode data = property("SupportedSchedulers");
        List<String> names = new ArrayList<>();
        data.forEach(n -> names.add(n.asText()));
        return names;
    }

    /** {@code CurrentScheduler}: the running scheduler's name, {@code unknown} when none. */
    String current() throws AbException {
        return property("CurrentScheduler").asText();
    }

    /**
     * Starts {@code name} (stopping the current one first, {@code SwitchScheduler}) in mode 0
     * (auto).
     */
    void switchTo(String name) throws AbException {
        String method = "unknown".equals(current()) ? "StartScheduler" : "SwitchScheduler";
        run(List.of("call", OBJECT[0], OBJECT[1], OBJECT[2], method, "su", name, "0"));
    }

    /** {@code StopScheduler}. */
    void stop() throws AbException {
        run(List.of("call", OBJECT[0], OBJECT[1], OBJECT[2], "StopScheduler"));
    }

    private JsonNode property(String name) throws AbException {
        String out =
                run(List.of("--json=short", "get-property", OBJECT[0], OBJECT[1], OBJECT[2], name));
        try {
            return new ObjectMapper().readTree(out).path("data");
        } catch (IOException e) {
            throw new AbException(
                    "scx_loader: unreadable " + name + " from busctl: " + out.strip());
        }
    }

    private String run(List<String> args) throws AbException {
        List<String> cmd = new ArrayList<>(List.of(busctl, "--system", TIMEOUT));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor();
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AbException("scx_loader refused: " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new AbException("scx_loader: cannot run busctl: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AbException("scx_loader: interrupted");
        }
    }
}
