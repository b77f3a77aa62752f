package io.herald.push.send;

/**
 * A message to push: an MQTT message as the broker delivered it.
 * <p>
 * {@link #toString()} leaves the payload out, since payloads are never logged.
 *
 * @param topic the MQTT topic the message was published on
 * @param payload the MQTT payload, read as UTF-8 text
 */
public record PushMessage(String topic, byte[] payload) {

	@Override
	public String toString() {
		return "PushMessage[topic=" + this.topic + ", " + this.payload.length + " bytes]";
	}

}
