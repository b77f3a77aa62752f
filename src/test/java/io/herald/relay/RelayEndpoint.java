package io.herald.relay;

import java.net.URI;

import org.springframework.context.ApplicationContext;

/**
 * The two places a browser reaches the relay: the web server's endpoint and the relay
 * listener. Relay tests run against both, and so do tests of other features that go
 * through the relay.
 */
public enum RelayEndpoint {

	WEB_SERVER {

		@Override
		public URI uri(ApplicationContext context) {
			boolean tls = context.getEnvironment().getProperty("server.ssl.enabled", Boolean.class, false);
			String port = context.getEnvironment().getRequiredProperty("local.server.port");
			return URI.create((tls ? "wss" : "ws") + "://localhost:" + port + "/mqtt");
		}

	},

	LISTENER {

		@Override
		public URI uri(ApplicationContext context) {
			RelayListener listener = context.getBean(RelayListener.class);
			return URI.create((listener.secure() ? "wss" : "ws") + "://localhost:" + listener.port() + "/mqtt");
		}

	};

	/** Where a client reaches this endpoint of the Herald in {@code context}. */
	public abstract URI uri(ApplicationContext context);

}
