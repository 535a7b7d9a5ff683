package io.lazyworkqueue.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns a missing component into a skip that shows in the build output, or, when the build requires the
 * component, into a failure.
 */
final class Skips {

    private static final String RULE = "*".repeat(100);

    private Skips() {
    }

    static ConditionEvaluationResult skipOrFail(ExtensionContext context, String missing, String requireProperty) {
        String test = context.getDisplayName();
        if (Boolean.getBoolean(requireProperty)) {
            throw new IllegalStateException(test + " cannot run: " + missing + ", and -D" + requireProperty
                    + "=true makes that a failure");
        }
        String reason = "SKIPPED " + test + ": " + missing + ". Set -D" + requireProperty
                + "=true to make this a failure.";
        System.out.println(RULE + System.lineSeparator() + reason + System.lineSeparator() + RULE);
        return ConditionEvaluationResult.disabled(reason);
    }
}
