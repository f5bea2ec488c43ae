package io.github.camelregistrator.observe;

import java.util.List;
import java.util.Map;

/** An explanation as readable text, for {@code explain <container>}. */
public final class ExplainText {
    private ExplainText() {
    }

    /** @param source where the answer came from, said last */
    public static String render(Explanation e, String source) {
        StringBuilder out = new StringBuilder();
        boolean service = e.swarm() != null && e.swarm().taskId() == null;
        out.append(service ? "swarm service " : "container ").append(e.name()).append('\n');
        line(out, "id", e.id());
        line(out, "image", e.image());
        if (e.swarm() != null) {
            // a swarm service itself (registrator.swarm-services) has no task
            line(out, "swarm", "service " + e.swarm().service() + (service ? " (id " + e.swarm().serviceId()
                    + "), registered by the managers" : ", task " + e.swarm().taskId() + ", slot " + e.swarm().slot()));
        }
        line(out, "state", e.state() + (e.reason() == null ? "" : ": " + e.reason()));
        line(out, "last error", e.error());
        line(out, "next retry", e.nextRetry());
        line(out, "last sync", e.lastSync() == null ? null : e.lastSync() + " (by " + e.trigger() + ")");
        List<Mapped.ServiceView> services = e.services() == null ? List.of() : e.services();
        out.append("services:   ").append(services.isEmpty() ? "none" : String.valueOf(services.size())).append('\n');
        for (Mapped.ServiceView s : services) {
            out.append("  ").append(s.name()).append("  id=").append(s.id()).append("  ").append(s.ip()).append(':')
                    .append(s.port()).append(" (").append(s.privatePort()).append('/').append(s.protocol()).append(')');
            if (s.tags() != null && !s.tags().isEmpty()) {
                out.append("  tags=").append(String.join(",", s.tags()));
            }
            if (s.attributes() != null && !s.attributes().isEmpty()) {
                out.append("  attributes=").append(s.attributes());
            }
            if (s.network() != null) {
                out.append("  network=").append(s.network());
            }
            out.append('\n');
        }
        if (e.checks() != null) {
            for (io.github.camelregistrator.check.CheckView c : e.checks()) {
                out.append("check ").append(c.port()).append('/').append(c.protocol()).append(": ").append(c.kind());
                if (c.target() != null) {
                    out.append(' ').append(c.target());
                }
                out.append("  ").append(c.state());
                if (c.interval() != null) {
                    out.append("  every ").append(c.interval()).append(" timeout ").append(c.timeout()).append(" rise ")
                            .append(c.rise()).append(" fall ").append(c.fall());
                }
                out.append('\n');
                if (c.lastResult() != null || c.lastDetail() != null) {
                    out.append("      last: ").append(c.lastResult() == null ? "" : c.lastResult() + ", ")
                            .append(c.lastDetail() == null ? "" : c.lastDetail())
                            .append(c.lastRun() == null ? "" : " at " + c.lastRun())
                            .append(c.interval() == null ? "" : "; " + c.passes() + " pass(es), " + c.failures()
                                    + " failure(s) in a row").append('\n');
                }
            }
        }
        if (e.layouts() != null) {
            for (Map.Entry<String, List<Explanation.Key>> layout : e.layouts().entrySet()) {
                out.append("layout ").append(layout.getKey()).append(':').append(layout.getValue().isEmpty() ? " no keys" : "")
                        .append('\n');
                for (Explanation.Key k : layout.getValue()) {
                    out.append("  ").append(k.key()).append(" = ").append(k.value()).append('\n');
                    // a shared key another host holds is as wanted, but not under this host's lease
                    out.append("      etcd: ").append(k.held() && "held".equals(k.etcd())
                                    ? "holds exactly this value under this host's lease" : k.etcd())
                            .append(Boolean.TRUE.equals(k.pending()) ? "; change pending" : "").append('\n');
                }
            }
        }
        out.append("source:     ").append(source).append('\n');
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        if (value != null) {
            out.append(String.format("%-11s ", label + ":")).append(value).append('\n');
        }
    }
}
