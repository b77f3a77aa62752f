package io.herald.publish;

/**
 * The caller's token does not allow publishing to a topic of the request; answered 403,
 * and nothing of the request is published.
 */
class NewsForbiddenException extends RuntimeException {

	private final String field;

	NewsForbiddenException(String field, String topic) {
		super("The token does not allow publishing to " + topic + " (" + field + ")");
		this.field = field;
	}

	String field() {
		return this.field;
	}

}
