package io.herald.page;

import io.herald.broker.BrokerEndpoint;
import io.herald.broker.BrokerProperties;
import io.herald.relay.RelayListener;
import io.herald.relay.RelayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One line when Herald is ready, with what a user needs to start: where the test page is,
 * where browsers connect, which broker they reach. Nothing secret is in it.
 */
@Component
class ReadyLog {

	private static final Logger logger = LoggerFactory.getLogger(ReadyLog.class);

	private final RelayProperties relay;

	private final ObjectProvider<RelayListener> listener;

	private final BrokerEndpoint broker;

	private final boolean embedded;

	private final Environment environment;

	ReadyLog(RelayProperties relay, ObjectProvider<RelayListener> listener, BrokerEndpoint broker,
			BrokerProperties brokerProperties, Environment environment) {
		this.relay = relay;
		this.listener = listener;
		this.broker = broker;
		this.embedded = brokerProperties.embedded();
		this.environment = environment;
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
			logger.info(line(web.getWebServer().getPort()));
		}
	}

	String line(int webPort) {
		boolean tls = this.environment.getProperty("server.ssl.enabled", Boolean.class, false);
		String page = (tls ? "https" : "http") + "://localhost:" + webPort + "/";
		String webRelay = (tls ? "wss" : "ws") + "://localhost:" + webPort + this.relay.path();
		RelayListener relayListener = this.listener.getIfAvailable();
		String relays = (relayListener != null && relayListener.isRunning()) ? (relayListener.secure() ? "wss" : "ws")
				+ "://localhost:" + relayListener.port() + this.relay.path() + " (relay listener) and " + webRelay
				: webRelay;
		return "Herald ready: test page " + page + ", browsers connect to " + relays + ", broker " + this.broker
				+ (this.embedded ? " (embedded)" : " (external)");
	}

}
