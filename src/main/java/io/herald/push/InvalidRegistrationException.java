package io.herald.push;

/** A push registration breaks a rule; answered 400, naming the field. */
class InvalidRegistrationException extends RuntimeException {

	private final String field;

	InvalidRegistrationException(String field, String reason) {
		super(field + " " + reason);
		this.field = field;
	}

	String field() {
		return this.field;
	}

}
