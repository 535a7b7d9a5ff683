package io.lazyworkqueue.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of one scrape in the Prometheus text format, for assertions. */
final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    PrometheusScrape(String text) {
        this.samples = text.lines().map(SAMPLE::matcher).filter(Matcher::matches).map(sample -> {
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            return new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3)));
        }).toList();
    }

    /**
     * @param name a sample name, such as {@code executor_completed_tasks_total}
     * @param labels label names and values that the sample must have, in pairs
     * @return the value of the one sample that matches, if any
     */
    OptionalDouble value(String name, String... labels) {
        return samples.stream()
            .filter(sample -> sample.name().equals(name) && hasLabels(sample, labels))
            .mapToDouble(Sample::value)
            .reduce((first, second) -> {
                throw new IllegalStateException("More than one sample " + name + " with labels " + List.of(labels));
            });
    }

    private static boolean hasLabels(Sample sample, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
