package io.lazyworkqueue;

/**
 * Finds and escapes ISO control characters (line breaks, tabs, {@code U+0000} to {@code U+001F}
 * and {@code U+007F} to {@code U+009F}), so that a bad value shown in a message or a log cannot
 * break its line or hide part of itself.
 */
final class ControlCharacters {

    private ControlCharacters() {
    }

    /** @return whether the text holds a control character */
    static boolean in(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    /**
     * @return the text with each control character written as a Java escape: {@code \n}, {@code \r},
     * {@code \t}, or &#92;u and four hex digits
     */
    static String escape(String text) {
        if (!in(text)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
