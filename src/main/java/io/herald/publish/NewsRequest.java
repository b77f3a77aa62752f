package io.herald.publish;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

/**
 * One message to publish, as posted to {@code /api/news}.
 *
 * @param topic the MQTT topic name, without wildcards
 * @param payload a string, sent as it is, or any other JSON value, sent as its JSON text
 * @param qos 0, 1 or 2; 1 when absent or null
 * @param retain whether the broker keeps it for later subscribers; false when absent or
 * null
 */
record NewsRequest(String topic, JsonNode payload, JsonNode qos, JsonNode retain) {

	static final int DEFAULT_QOS = 1;

	// qos and retain stay JSON until checked: Jackson would quietly turn 1.5 into 1 and
	// "yes" into true.

	int qosOrDefault() {
		return isAbsent(this.qos) ? DEFAULT_QOS : this.qos.intValue();
	}

	boolean retainOrDefault() {
		return !isAbsent(this.retain) && this.retain.booleanValue();
	}

	static boolean isAbsent(JsonNode node) {
		return node == null || node.isNull() || node.isMissingNode();
	}

	/**
	 * The bytes to publish: a string's UTF-8 text, or the UTF-8 JSON text of any other
	 * value.
	 */
	byte[] payloadBytes() {
		String text = this.payload.isString() ? this.payload.stringValue() : this.payload.toString();
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
