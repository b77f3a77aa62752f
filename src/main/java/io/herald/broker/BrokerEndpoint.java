package io.herald.broker;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.util.Assert;

/**
 * The resolved addresses of the MQTT broker every relayed browser and every server-side
 * client connects to: the primary URL first, then failover URLs tried in order when it
 * cannot be reached.
 *
 * @param uris {@code tcp://host:port} or {@code ssl://host:port}, primary first
 */
public record BrokerEndpoint(List<URI> uris) {

	public BrokerEndpoint {
		Assert.notEmpty(uris, "At least one broker URL is needed");
		uris = List.copyOf(uris);
		for (URI uri : uris) {
			Assert.isTrue("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()),
					() -> "Broker URLs must use tcp:// or ssl://, not " + uri);
			Assert.hasText(uri.getHost(), () -> "Broker URL must name a host: " + uri);
		}
	}

	public BrokerEndpoint(URI uri) {
		this(List.of(uri));
	}

	/** The primary broker URL. */
	public URI uri() {
		return this.uris.get(0);
	}

	/**
	 * Every URL as a string, primary first: the form Paho's {@code setServerURIs} takes.
	 */
	public String[] serverUris() {
		return this.uris.stream().map(URI::toString).toArray(String[]::new);
	}

	static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return tls(uri) ? 8883 : 1883;
	}

	static boolean tls(URI uri) {
		return "ssl".equals(uri.getScheme());
	}

	@Override
	public String toString() {
		return this.uris.stream().map(URI::toString).collect(Collectors.joining(", "));
	}

}
