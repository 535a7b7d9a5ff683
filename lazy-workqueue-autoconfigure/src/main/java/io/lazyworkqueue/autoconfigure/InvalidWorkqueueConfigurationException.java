package io.lazyworkqueue.autoconfigure;

/**
 * A queue that cannot be set up although its properties passed validation: its name cannot be a
 * bean name, or the engine refuses a value a customizer set. Start-up fails with a report that
 * names the property, the value, why it cannot be used and what to do instead.
 */
final class InvalidWorkqueueConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final String value;

    private final String reason;

    private final String action;

    InvalidWorkqueueConfigurationException(String property, String value, String reason, String action) {
        super("Invalid value '" + value + "' for property '" + property + "': " + reason);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.action = action;
    }

    String getProperty() {
        return property;
    }

    String getValue() {
        return value;
    }

    String getReason() {
        return reason;
    }

    String getAction() {
        return action;
    }
}
