package io.herald.push;

/** A filter outside the caller's subscribe rights; answered 403, naming it. */
class RegistrationForbiddenException extends RuntimeException {

	private final String field;

	RegistrationForbiddenException(String field, String filter) {
		super("Not authorized to subscribe to " + filter);
		this.field = field;
	}

	String field() {
		return this.field;
	}

}
