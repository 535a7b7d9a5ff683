package io.lazyworkqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

/**
 * The PromQL of the Grafana dashboard: every panel target, and the template variables' {@code label_values}
 * queries, with the variables replaced as Grafana does with "All" selected.
 */
final class DashboardQueries {

    /** Grafana's {@code label_values(selector, label)}. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.+),\\s*(\\w+)\\s*\\)\\s*$");

    /** One {@code label_values} query of a template variable. */
    record LabelValues(String variable, String selector, String label) {
    }

    private final String json;

    private DashboardQueries(String json) {
        this.json = json;
    }

    static DashboardQueries read(Path dashboard) {
        try {
            return new DashboardQueries(Files.readString(dashboard));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Every panel target's expression, panels inside rows included, variables replaced. */
    List<String> panelExpressions() {
        List<String> expressions = new ArrayList<>();
        for (String expression : JsonPath.<List<String>>read(json, "$..targets[*].expr")) {
            expressions.add(substitute(expression));
        }
        return expressions;
    }

    /** Every template variable's {@code label_values} query, its selector's variables replaced. */
    List<LabelValues> variableQueries() {
        List<LabelValues> queries = new ArrayList<>();
        for (Object variable : JsonPath.<List<Object>>read(json, "$.templating.list[?(@.type == 'query')]")) {
            String name = JsonPath.read(variable, "$.name");
            Object query = JsonPath.read(variable, "$.query");
            String text = query instanceof String string ? string : JsonPath.read(query, "$.query");
            Matcher matcher = LABEL_VALUES.matcher(text);
            if (!matcher.matches()) {
                throw new IllegalStateException("variable " + name + " has a query this test does not know: " + text);
            }
            queries.add(new LabelValues(name, substitute(matcher.group(1)), matcher.group(2)));
        }
        return queries;
    }

    /** Replaces $queue, $pool and $instance by ".*" (Grafana's "All") and $__rate_interval by 1m. */
    static String substitute(String expression) {
        String substituted = expression.replace("$__rate_interval", "1m")
            .replace("${queue}", ".*").replace("$queue", ".*")
            .replace("${pool}", ".*").replace("$pool", ".*")
            .replace("${instance}", ".*").replace("$instance", ".*");
        if (substituted.contains("$")) {
            throw new IllegalStateException("the dashboard uses a variable this test does not replace: " + expression);
        }
        return substituted;
    }
}
