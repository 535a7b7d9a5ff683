package io.lazyworkqueue;

/**
 * A {@link LazyWorkqueue.Builder} setting that is invalid on its own, against the other settings,
 * or on this machine. The message names the setting, the value and what is allowed.
 */
public final class InvalidWorkqueueSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The name of the builder method whose value is invalid. */
    private final String setting;

    /** The invalid value as text, control characters escaped. */
    private final String value;

    InvalidWorkqueueSettingException(String setting, Object value, String message) {
        super(message);
        this.setting = setting;
        this.value = ControlCharacters.escape(String.valueOf(value));
    }

    /** @return the name of the builder method whose value is invalid, such as {@code coreCpu} */
    public String getSetting() {
        return setting;
    }

    /**
     * @return the invalid value as text, with control characters such as line breaks written as
     * Java escapes ({@code \n}), so that it cannot break a log line
     */
    public String getValue() {
        return value;
    }
}
