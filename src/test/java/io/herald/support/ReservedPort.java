package io.herald.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens, held by a bound but unconnected socket so that
 * no other socket can take it while a test points something at it (a closed port may be
 * reused at once).
 */
public final class ReservedPort implements AutoCloseable {

	private final Socket placeholder;

	private ReservedPort(Socket placeholder) {
		this.placeholder = placeholder;
	}

	public static ReservedPort reserve() {
		Socket placeholder = new Socket();
		try {
			placeholder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return new ReservedPort(placeholder);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to reserve a loopback port", ex);
		}
	}

	public int port() {
		return this.placeholder.getLocalPort();
	}

	@Override
	public void close() throws IOException {
		this.placeholder.close();
	}

}
