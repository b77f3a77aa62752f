package io.herald.publish;

/**
 * One thing wrong with a field of a request.
 *
 * @param field the field's path, such as {@code topic} or {@code [3].qos}
 * @param message what is wrong, starting with the field's path
 */
record FieldProblem(String field, String message) {

	static FieldProblem of(String field, String reason) {
		return new FieldProblem(field, field + " " + reason);
	}

}
