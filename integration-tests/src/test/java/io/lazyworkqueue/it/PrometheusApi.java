package io.lazyworkqueue.it;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;

/** Prometheus's HTTP API: instant queries, label values and scrape targets. */
final class PrometheusApi {

    private final String url;

    PrometheusApi(String url) {
        this.url = url;
    }

    /**
     * The series an instant query returns, each as its labels and value. A query Prometheus refuses (bad
     * syntax, for instance) throws at once instead of looking like an empty answer.
     */
    List<Map<String, Object>> query(String promql) {
        String body = Http.get(url + "/api/v1/query?query=" + encode(promql));
        if (!"success".equals(JsonPath.read(body, "$.status"))) {
            throw new IllegalStateException("Prometheus refused " + promql + ": " + body);
        }
        return JsonPath.read(body, "$.data.result");
    }

    /** The values of each series of a query, keyed by the value of one label (for example by queue). */
    Map<String, Double> valuesBy(String label, String promql) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map<String, Object> series : query(promql)) {
            Map<?, ?> metric = (Map<?, ?>) series.get("metric");
            List<?> value = (List<?>) series.get("value");
            values.put(String.valueOf(metric.get(label)), Double.valueOf(String.valueOf(value.get(1))));
        }
        return values;
    }

    /** The value of a query that gives one series, such as a sum(); NaN when it gives none. */
    double value(String promql) {
        List<Map<String, Object>> result = query(promql);
        if (result.isEmpty()) {
            return Double.NaN;
        }
        if (result.size() > 1) {
            throw new IllegalStateException(promql + " gave " + result.size() + " series, not one: " + result);
        }
        return Double.parseDouble(String.valueOf(((List<?>) result.get(0).get("value")).get(1)));
    }

    /** What Grafana's {@code label_values(selector, label)} asks: the label's values among the selector's series. */
    List<String> labelValues(String label, String selector) {
        String body = Http.get(url + "/api/v1/label/" + encode(label) + "/values?match[]=" + encode(selector));
        return JsonPath.read(body, "$.data");
    }

    /** The health of each scrape target ("up", "down" or "unknown"). */
    List<String> targetHealth() {
        return JsonPath.read(Http.get(url + "/api/v1/targets?state=active"), "$.data.activeTargets[*].health");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
