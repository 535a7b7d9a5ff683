package io.lazyworkqueue.autoconfigure;

import org.springframework.validation.FieldError;

/**
 * A rejected {@code lazy-workqueue.*} setting: its field is the full key below the properties'
 * prefix, its message the reason in property words, and it carries what to write instead.
 */
final class InvalidProperty extends FieldError {

    private static final long serialVersionUID = 1L;

    private final String action;

    InvalidProperty(String objectName, String field, Object rejectedValue, String reason, String action) {
        super(objectName, field, rejectedValue, false, null, null, reason);
        this.action = action;
    }

    String getAction() {
        return action;
    }
}
