package io.herald.publish;

import java.util.ArrayList;
import java.util.List;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.TopicFilter;
import tools.jackson.databind.JsonNode;

/**
 * Checks a {@link NewsRequest} against MQTT's rules before anything is sent to the
 * broker.
 *
 * <p>
 * The topic rules are MQTT's, already in {@link TopicFilter}; the rest is two checks, so
 * plain code reads better here than a custom Bean Validation constraint.
 */
final class NewsValidator {

	private NewsValidator() {
	}

	/**
	 * What is wrong with {@code request}, each field named with {@code prefix} in front
	 * ({@code ""} for a single message, {@code "[3]."} for a batch item).
	 */
	static List<FieldProblem> check(NewsRequest request, String prefix) {
		List<FieldProblem> problems = new ArrayList<>();
		if (request == null) {
			problems.add(FieldProblem.of(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
					"must be an object with topic and payload"));
			return problems;
		}
		try {
			TopicFilter.checkTopicName(request.topic());
		}
		catch (InvalidTopicException ex) {
			problems.add(FieldProblem.of(prefix + "topic", ex.getMessage()));
		}
		if (request.payload() == null) {
			problems.add(FieldProblem.of(prefix + "payload", "is required (a string, or any JSON value)"));
		}
		JsonNode qos = request.qos();
		if (!NewsRequest.isAbsent(qos)
				&& !(qos.isIntegralNumber() && qos.canConvertToInt() && qos.intValue() >= 0 && qos.intValue() <= 2)) {
			problems.add(FieldProblem.of(prefix + "qos", "must be 0, 1 or 2"));
		}
		if (!NewsRequest.isAbsent(request.retain()) && !request.retain().isBoolean()) {
			problems.add(FieldProblem.of(prefix + "retain", "must be true or false"));
		}
		return problems;
	}

}
