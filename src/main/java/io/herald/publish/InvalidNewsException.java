package io.herald.publish;

import java.util.List;

/**
 * A request to publish broke one or more rules; answered 400 with every problem listed.
 */
class InvalidNewsException extends RuntimeException {

	private final List<FieldProblem> problems;

	InvalidNewsException(List<FieldProblem> problems) {
		super(problems.get(0).message());
		this.problems = List.copyOf(problems);
	}

	List<FieldProblem> problems() {
		return this.problems;
	}

}
