package io.herald.broker;

import java.net.URI;

import org.springframework.util.Assert;

/**
 * The resolved address of the MQTT broker every relayed browser and every server-side client
 * connects to.
 *
 * @param uri {@code tcp://host:port} or {@code ssl://host:port}
 */
public record BrokerEndpoint(URI uri) {

	public BrokerEndpoint {
		Assert.notNull(uri, "Broker URI must not be null");
		Assert.isTrue("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()),
				() -> "herald.broker.url must use tcp:// or ssl://, not " + uri);
		Assert.hasText(uri.getHost(), () -> "herald.broker.url must name a host: " + uri);
	}

	public String host() {
		return this.uri.getHost();
	}

	public int port() {
		if (this.uri.getPort() != -1) {
			return this.uri.getPort();
		}
		return tls() ? 8883 : 1883;
	}

	public boolean tls() {
		return "ssl".equals(this.uri.getScheme());
	}

	@Override
	public String toString() {
		return this.uri.toString();
	}

}
