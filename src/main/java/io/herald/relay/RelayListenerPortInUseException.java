package io.herald.relay;

/**
 * The relay listener's port is taken by another process.
 */
class RelayListenerPortInUseException extends RuntimeException {

	private final String address;

	RelayListenerPortInUseException(String address, Throwable cause) {
		super("Failed to open the relay listener on " + address + ": " + cause.getMessage(), cause);
		this.address = address;
	}

	String getAddress() {
		return this.address;
	}

}
