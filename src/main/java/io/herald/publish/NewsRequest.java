package io.herald.publish;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

/**
 * One message to publish, as posted to {@code /api/news}.
 *
 * @param topic the MQTT topic name, without wildcards
 * @param payload a string, sent as it is, or any other JSON value, sent as its JSON text
 * @param qos 0, 1 or 2; 1 when absent
 * @param retain whether the broker keeps it for later subscribers; false when absent
 */
record NewsRequest(String topic, JsonNode payload, Integer qos, Boolean retain) {

	static final int DEFAULT_QOS = 1;

	int qosOrDefault() {
		return (this.qos != null) ? this.qos : DEFAULT_QOS;
	}

	boolean retainOrDefault() {
		return Boolean.TRUE.equals(this.retain);
	}

	/** The bytes to publish: a string's UTF-8 text, or the UTF-8 JSON text of any other value. */
	byte[] payloadBytes() {
		String text = this.payload.isString() ? this.payload.stringValue() : this.payload.toString();
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
