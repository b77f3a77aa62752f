package io.herald.broker;

/**
 * Thrown when the embedded broker's port is already taken by another process.
 */
class EmbeddedBrokerPortInUseException extends IllegalStateException {

	private final int port;

	EmbeddedBrokerPortInUseException(int port, Throwable cause) {
		super("Embedded MQTT broker port " + port + " is already in use", cause);
		this.port = port;
	}

	int getPort() {
		return this.port;
	}

}
