package io.herald.relay;

import java.util.concurrent.Executor;

import io.herald.broker.BrokerConnector;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;

/**
 * The web server's relay endpoint: a {@link WebServerRelay} for each WebSocket, fed
 * binary chunks as they arrive; text messages are refused with 1003.
 */
class RelayWebSocketHandler extends BinaryWebSocketHandler {

	private static final String RELAY = WebServerRelay.class.getName();

	private final BrokerConnector connector;

	private final RelayProperties properties;

	private final RelayRegistry registry;

	private final Executor closeExecutor;

	private final @Nullable RelayGate gate;

	private final AddressLimit addresses;

	RelayWebSocketHandler(BrokerConnector connector, RelayProperties properties, RelayRegistry registry,
			@Nullable RelayGate gate, AddressLimit addresses, Executor closeExecutor) {
		this.gate = gate;
		this.addresses = addresses;
		this.connector = connector;
		this.properties = properties;
		this.registry = registry;
		this.closeExecutor = closeExecutor;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		WebServerRelay relay = new WebServerRelay(session, this.connector.ioThreads().next(), this.registry,
				this.properties, this.gate, this.closeExecutor);
		session.getAttributes().put(RELAY, relay);
		relay.opened(this.connector);
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		relay(session).fromBrowser(message.getPayload(), message.isLast());
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		WebServerRelay relay = relay(session);
		if (relay != null) {
			relay.pong();
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		WebServerRelay relay = relay(session);
		if (relay != null) {
			relay.browserClosed(status);
		}
		if (session.getAttributes().get(MqttSubprotocolInterceptor.SLOT) instanceof ConnectionLimit.Slot slot) {
			slot.release();
		}
		if (session.getAttributes().get(MqttSubprotocolInterceptor.CLIENT_ADDRESS) instanceof String address) {
			this.addresses.closed(address);
		}
	}

	private static WebServerRelay relay(WebSocketSession session) {
		return (WebServerRelay) session.getAttributes().get(RELAY);
	}

}
