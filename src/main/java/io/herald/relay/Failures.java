package io.herald.relay;

import java.io.IOException;

import org.slf4j.Logger;

/**
 * How a relayed connection's failure is logged: a network failure (a browser or broker
 * gone, TLS broken off) is the everyday end of a connection and logged at DEBUG; anything
 * else closed a connection Herald did not mean to close, and is logged at WARN with its
 * stack trace.
 */
final class Failures {

	private Failures() {
	}

	/**
	 * Log {@code failure} of the connection {@code id}, as {@code what} ("Browser
	 * connection failed").
	 */
	static void log(Logger logger, String id, String what, Throwable failure) {
		if (fromNetwork(failure)) {
			logger.debug("[{}] {}: {}", id, what, failure.toString());
		}
		else {
			logger.warn("[{}] {}, closing the connection Herald did not mean to close", id, what, failure);
		}
	}

	/** Whether {@code failure} is, or was caused by, an I/O failure. */
	static boolean fromNetwork(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
