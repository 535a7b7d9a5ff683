package io.lazyworkqueue.autoconfigure;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's start-up failure report of invalid {@code lazy-workqueue.*} settings. */
final class ProblemReport {

    private ProblemReport() {
    }

    static FailureAnalysis of(List<Problem> problems, Throwable cause) {
        StringBuilder description = new StringBuilder("Invalid lazy-workqueue configuration:");
        for (Problem problem : problems) {
            description.append("%n%n    Property: %s%n    Value: \"%s\"".formatted(problem.property(),
                    escape(problem.value())));
            if (problem.origin() != null) {
                description.append("%n    Origin: %s".formatted(problem.origin()));
            }
            description.append("%n    Reason: %s".formatted(problem.reason()));
        }
        if (problems.size() == 1) {
            return new FailureAnalysis(description.toString(), problems.get(0).action(), cause);
        }
        StringBuilder action = new StringBuilder("Update your application's configuration:%n".formatted());
        problems.forEach(problem -> action.append("%n    - %s".formatted(problem.action())));
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }

    /** Writes control characters as Java escapes, so that a value cannot break the report's lines. */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> escaped.append(Character.isISOControl(c) ? "\\u%04x".formatted((int) c) : String.valueOf(c));
            }
        }
        return escaped.toString();
    }
}
