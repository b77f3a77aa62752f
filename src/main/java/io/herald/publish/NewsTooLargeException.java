package io.herald.publish;

/**
 * A payload or a batch over the configured limits; answered 413.
 */
class NewsTooLargeException extends RuntimeException {

	private final String field;

	NewsTooLargeException(String field, String message) {
		super(message);
		this.field = field;
	}

	/**
	 * The field over its limit, or {@code null} for a whole batch with too many messages.
	 */
	String field() {
		return this.field;
	}

}
