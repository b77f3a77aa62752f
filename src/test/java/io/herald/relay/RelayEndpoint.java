package io.herald.relay;

import java.net.URI;

import org.springframework.context.ApplicationContext;

/**
 * The two places a browser reaches the relay: the web server's endpoint and the relay
 * listener. Relay tests run against both.
 */
enum RelayEndpoint {

	WEB_SERVER {

		@Override
		URI uri(ApplicationContext context) {
			boolean tls = context.getEnvironment().getProperty("server.ssl.enabled", Boolean.class, false);
			String port = context.getEnvironment().getRequiredProperty("local.server.port");
			return URI.create((tls ? "wss" : "ws") + "://localhost:" + port + "/mqtt");
		}

	},

	LISTENER {

		@Override
		URI uri(ApplicationContext context) {
			RelayListener listener = context.getBean(RelayListener.class);
			return URI.create((listener.secure() ? "wss" : "ws") + "://localhost:" + listener.port() + "/mqtt");
		}

	};

	abstract URI uri(ApplicationContext context);

}
