package io.herald.relay;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.herald.broker.BrokerConnector;
import io.herald.broker.BrokerProperties;
import io.herald.security.IdentityResolver;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Registers the MQTT-over-WebSocket endpoint on the web server, sizes the container's
 * WebSocket buffers, and opens the relay listener beside it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class RelayConfiguration implements WebSocketConfigurer {

	private static final int TEXT_BUFFER_CHARS = 256;

	private static final String TOMCAT_WEBSOCKET_BUFFER_SIZE = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private final RelayProperties properties;

	private final RelayWebSocketHandler handler;

	private final AddressLimit addresses;

	private final RelayRegistry relays;

	RelayConfiguration(RelayProperties properties, RelayWebSocketHandler handler, AddressLimit addresses,
			RelayRegistry relays) {
		this.relays = relays;
		this.properties = properties;
		this.handler = handler;
		this.addresses = addresses;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		DefaultHandshakeHandler handshakeHandler = new DefaultHandshakeHandler();
		handshakeHandler.setSupportedProtocols(MqttSubprotocolInterceptor.SUBPROTOCOLS.toArray(String[]::new));
		registry.addHandler(this.handler, this.properties.path())
			.setHandshakeHandler(handshakeHandler)
			.addInterceptors(new MqttSubprotocolInterceptor(new OriginPolicy(this.properties.allowedOrigins()),
					this.addresses, this.relays,
					new ConnectionLimit(this.properties.web().maxConnections(),
							"The web server's " + this.properties.path(), "herald.relay.web.max-connections")))
			// Origins are checked by the interceptor, with the listener's rules.
			.setAllowedOriginPatterns("*");
	}

	@Bean
	static ServletServerContainerFactoryBean webSocketContainer(ObjectProvider<RelayProperties> properties) {
		// A FactoryBean is created early, for type checks: read the properties only once
		// they are bound.
		return new ServletServerContainerFactoryBean() {

			@Override
			public void afterPropertiesSet() {
				RelayProperties relay = properties.getObject();
				int chunkSize = Math.toIntExact(relay.bufferSize().toBytes());
				// Binary messages reach the relay in chunks of this size, however large
				// the message.
				setMaxBinaryMessageBufferSize(chunkSize);
				// Text is refused with 1003 on its first chunk: no need for Tomcat's 16
				// KB char buffer.
				setMaxTextMessageBufferSize(TEXT_BUFFER_CHARS);
				setAsyncSendTimeout(relay.sendTimeout().toMillis());
				super.afterPropertiesSet();
			}

		};
	}

	/**
	 * Size Tomcat's per-connection buffers: the socket's application read and write
	 * buffers, and the WebSocket frame reader's and writer's. Each idle browser holds all
	 * of them, so they set the memory cost of a connection; relayed chunks do not pass
	 * through them whole.
	 */
	@Bean
	static TomcatConnectorCustomizer relaySocketBuffers(RelayProperties properties) {
		String size = String.valueOf(properties.socketBufferSize().toBytes());
		// Tomcat reads this once, when its WebSocket support starts, which is after this
		// bean.
		if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER_SIZE) == null) {
			System.setProperty(TOMCAT_WEBSOCKET_BUFFER_SIZE, size);
		}
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", size);
			connector.setProperty("socket.appWriteBufSize", size);
		};
	}

	@Bean
	static RelayWebSocketHandler relayWebSocketHandler(BrokerConnector connector, RelayProperties properties,
			RelayRegistry relayRegistry, ObjectProvider<RelayGate> gate, AddressLimit addresses,
			ExecutorService relayCloseExecutor) {
		return new RelayWebSocketHandler(connector, properties, relayRegistry, gate.getIfAvailable(), addresses,
				relayCloseExecutor);
	}

	/** Connections per client address, counted across both endpoints. */
	@Bean
	static AddressLimit relayAddressLimit(RelayProperties properties) {
		return new AddressLimit(properties.maxConnectionsPerAddress(), properties.trustedProxies());
	}

	/**
	 * Every relayed browser's CONNECT, SUBSCRIBE and PUBLISH checked, unless security is
	 * off.
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "herald.security.enabled", matchIfMissing = true)
	static RelayGate relayGate(IdentityResolver identities, RelayProperties relay, BrokerProperties broker) {
		RelayAccess access = (token, clientId) -> identities.resolve(token).thenApply((identity) -> {
			// The subject is what binds the broker's client id to an identity: a token
			// must name one.
			Assert.state(identity.anonymous() || !identity.subject().isEmpty(), "The token has no sub claim");
			return new RelayAccess.Admission(identity.anonymous() ? null : identity.subject(),
					identity.rights(clientId), identity.expiresAt());
		});
		return new RelayGate(access,
				new GuardSettings(relay.maxFrameSize().toBytes(), relay.connectTimeout(), relay.maxSubscriptions(),
						relay.maxPublishRate(), relay.publishBurst(), broker.username(), broker.password()));
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "herald.relay.listener.enabled", matchIfMissing = true)
	static RelayListener relayListener(BrokerConnector connector, RelayRegistry relayRegistry,
			RelayProperties properties, ObjectProvider<RelayGate> gate, AddressLimit addresses, ServerProperties server,
			ObjectProvider<SslBundles> sslBundles) {
		Ssl ssl = server.getSsl();
		SslBundles bundles = sslBundles.getIfAvailable();
		RelayListener listener = new RelayListener(connector, relayRegistry, properties, gate.getIfAvailable(),
				addresses, RelayTls.serverContext(ssl, bundles));
		if (Ssl.isEnabled(ssl) && StringUtils.hasText(ssl.getBundle()) && bundles != null) {
			// A bundle with reload-on-update: renewed certificates reach the listener as
			// they do the web server.
			bundles.addBundleUpdateHandler(ssl.getBundle(),
					(bundle) -> listener.useTls(RelayTls.serverContext(bundle)));
		}
		return listener;
	}

	@Bean
	static RelayRegistry relayRegistry() {
		return new RelayRegistry();
	}

	@Bean
	RelayDrain relayDrain(RelayRegistry registry) {
		return new RelayDrain(registry, this.properties.drainDelay());
	}

	@Bean(destroyMethod = "shutdown")
	static ExecutorService relayCloseExecutor() {
		return Executors.newFixedThreadPool(2, new DefaultThreadFactory("herald-relay-close", true));
	}

}
