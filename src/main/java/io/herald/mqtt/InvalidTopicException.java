package io.herald.mqtt;

/**
 * Thrown when a string breaks MQTT's rules for topic names or topic filters; the message
 * says which rule, without repeating the input.
 */
public class InvalidTopicException extends IllegalArgumentException {

	InvalidTopicException(String reason) {
		super(reason);
	}

}
