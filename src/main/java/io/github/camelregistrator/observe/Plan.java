package io.github.camelregistrator.observe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import io.github.camelregistrator.layout.Entry;

/** The keys and values of this host as a table: what a dry run would write. */
final class Plan {
    private Plan() {
    }

    static String table(Collection<Registrations.Synced> all) {
        List<String[]> rows = new ArrayList<>();
        List<Mapped> containers = all.stream().map(Registrations.Synced::mapped)
                .sorted(Comparator.comparing(Mapped::name)).toList();
        int skipped = 0;
        for (Mapped m : containers) {
            if (m.layouts() == null || m.skip() != null) {
                skipped++;
                continue;
            }
            m.layouts().forEach((layout, entries) -> {
                for (Entry e : entries) {
                    rows.add(new String[] {m.name(), layout, e.key(), e.value()});
                }
            });
        }
        StringBuilder out = new StringBuilder();
        table(out, new String[] {"CONTAINER", "LAYOUT", "KEY", "VALUE"}, rows);
        out.append(rows.size()).append(" key(s) of ").append(containers.size() - skipped)
                .append(" container(s); ").append(skipped).append(" container(s) without services")
                .append(" (GET /observe/registrations or `explain <container>` says why)");
        return out.toString();
    }

    /** Columns padded to their widest cell, the last one left as is. */
    static void table(StringBuilder out, String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            for (int i = 0; i < row.length - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.append('\n');
        }
    }
}
