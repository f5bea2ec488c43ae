package io.github.camelregistrator.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Latency samples in milliseconds, summarised as p50/p90/p99/max/n. */
final class Stats {
    private final List<Double> samples = new ArrayList<>();

    void add(double ms) {
        samples.add(ms);
    }

    int n() {
        return samples.size();
    }

    double percentile(double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    double median() {
        return percentile(50);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(percentile(50)));
        m.put("p90", round(percentile(90)));
        m.put("p99", round(percentile(99)));
        m.put("max", round(percentile(100)));
        m.put("n", samples.size());
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @Override
    public String toString() {
        return String.format("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (n=%d)", percentile(50), percentile(90),
                percentile(99), percentile(100), samples.size());
    }
}
