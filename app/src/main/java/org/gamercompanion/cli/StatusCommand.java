package org.gamercompanion.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gamercompanion.agent.AgentException;
import org.gamercompanion.agent.AgentProcess;
import org.gamercompanion.agent.NativeBinaries;
import org.gamercompanion.agent.Privileges;
import org.gamercompanion.agent.Protocol;
import org.gamercompanion.kernel.KernelStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Kernel BTF, sched_ext state, input hook and agent.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        KernelStatus k = KernelStatus.current();
        ObjectNode o = LatencyReport.JSON.createObjectNode();
        o.put("kernel", k.release());
        o.put("btf", k.btf());
        ObjectNode scx = o.putObject("sched_ext");
        scx.put("state", k.schedExtState());
        if (k.schedExtOps().isEmpty()) {
            scx.putNull("ops");
        } else {
            scx.put("ops", k.schedExtOps());
        }
        scx.put("owner", schedOwner(k));
        ObjectNode agent = o.putObject("agent");
        String inputHook = "unknown: agent not started";
        try {
            agent.put("binary", NativeBinaries.agent().toString());
            if (Privileges.canLoadBpf()) {
                try (AgentProcess p =
                        AgentProcess.start(AgentProcess.Options.defaults(), line -> {})) {
                    p.client().hello();
                    Map<String, String> st = p.client().status();
                    inputHook = Protocol.readable(st.getOrDefault("input_hook", "unknown"));
                    agent.put("state", "ok");
                    agent.put(
                            "synthetic_input",
                            Protocol.readable(st.getOrDefault("synthetic", "unknown")));
                    agent.put(
                            "exec_hook",
                            Protocol.readable(st.getOrDefault("exec_hook", "unknown")));
                }
            } else {
                agent.put("state", "not started: " + Privileges.missingReason());
            }
        } catch (AgentException e) {
            agent.put("state", "unavailable: " + e.getMessage());
        }
        o.put("input_hook", inputHook);
        if (json) {
            System.out.println(
                    LatencyReport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            System.out.println(
                    "kernel      "
                            + k.release()
                            + (k.btf() ? " (BTF: yes)" : " (BTF: no, CO-RE unavailable)"));
            System.out.println(
                    "sched_ext   "
                            + k.schedExtState()
                            + (k.schedExtOps().isEmpty() ? "" : " (" + k.schedExtOps() + ")")
                            + switch (schedOwner(k)) {
                                case "gamer-companion" -> ", ours";
                                case "other" ->
                                        ", another program's scheduler: Gamer Companion will not replace it";
                                case "none" ->
                                        k.schedExtState().equals("absent")
                                                ? ": no sched_ext in this kernel, monitor-only"
                                                : "";
                                default -> "";
                            });
            System.out.println("input hook  " + inputHook);
            System.out.println("agent       " + agent.path("state").asText());
        }
        return 0;
    }

    /** "gamer-companion" (our "gamer" runs), "other" (someone else's scheduler), or "none". */
    static String schedOwner(KernelStatus k) {
        if (k.schedExtState().equals("absent") || k.schedExtState().equals("disabled")) {
            return "none";
        }
        return k.schedExtOps().equals("gamer") ? "gamer-companion" : "other";
    }
}
