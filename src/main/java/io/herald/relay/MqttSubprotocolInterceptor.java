package io.herald.relay;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses a WebSocket handshake on the web server's endpoint that offers neither MQTT
 * subprotocol (400), comes from a page whose origin is not allowed (403), or would go
 * over the endpoint's connection limit (503) or its address's (429), with a problem
 * detail instead of an upgrade.
 */
class MqttSubprotocolInterceptor implements HandshakeInterceptor {

	static final List<String> SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");

	static final String DETAIL = "Sec-WebSocket-Protocol must offer mqtt (MQTT 3.1.1 and 5) or mqttv3.1 (MQTT 3.1)";

	/**
	 * The session attribute holding the client address its connection is counted under.
	 */
	static final String CLIENT_ADDRESS = MqttSubprotocolInterceptor.class.getName() + ".address";

	/**
	 * The attribute, of the request and then of the session, holding the connection's
	 * {@link ConnectionLimit.Slot}.
	 */
	static final String SLOT = MqttSubprotocolInterceptor.class.getName() + ".slot";

	private final OriginPolicy origins;

	private final AddressLimit addresses;

	private final RelayRegistry relays;

	private final ConnectionLimit connections;

	MqttSubprotocolInterceptor(OriginPolicy origins, AddressLimit addresses, RelayRegistry relays,
			ConnectionLimit connections) {
		this.relays = relays;
		this.connections = connections;
		this.origins = origins;
		this.addresses = addresses;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) throws Exception {
		if (!this.relays.accepting()) {
			return refuse(request, response, RelayMetrics.Refusal.DRAINING, HttpStatus.SERVICE_UNAVAILABLE,
					RelayRegistry.DRAINING);
		}
		List<String> offered = request.getHeaders().getValuesAsList("Sec-WebSocket-Protocol");
		if (offered.stream().noneMatch((protocol) -> SUBPROTOCOLS.contains(protocol.trim()))) {
			return refuse(request, response, RelayMetrics.Refusal.SUBPROTOCOL, HttpStatus.BAD_REQUEST, DETAIL);
		}
		String origin = request.getHeaders().getOrigin();
		if (!this.origins.allows(origin, request.getHeaders().getFirst(HttpHeaders.HOST))) {
			return refuse(request, response, RelayMetrics.Refusal.ORIGIN, HttpStatus.FORBIDDEN,
					this.origins.refusal(origin));
		}
		ConnectionLimit.Slot slot = this.connections.tryOpen();
		if (slot == null) {
			return refuse(request, response, RelayMetrics.Refusal.FULL, HttpStatus.SERVICE_UNAVAILABLE,
					this.connections.refusal());
		}
		String address = this.addresses.clientAddress(request.getRemoteAddress(),
				request.getHeaders().getFirst("X-Forwarded-For"));
		if (!this.addresses.tryOpen(address)) {
			slot.release();
			return refuse(request, response, RelayMetrics.Refusal.ADDRESS_LIMIT, HttpStatus.TOO_MANY_REQUESTS,
					this.addresses.refusal(address));
		}
		// Given back when the session closes, or after the handshake if it never opens.
		request.getAttributes().put(SLOT, slot);
		attributes.put(SLOT, slot);
		attributes.put(CLIENT_ADDRESS, address);
		return true;
	}

	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, RelayMetrics.Refusal reason,
			HttpStatus status, String detail) throws IOException {
		this.relays.metrics().refused(reason);
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getURI().getRawPath());
		response.getBody().write(JsonMapper.shared().writeValueAsBytes(problem));
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			@Nullable Exception exception) {
		if (!(request.getAttributes().get(SLOT) instanceof ConnectionLimit.Slot slot)) {
			// Refused before anything was counted.
			return;
		}
		if (exception != null || !upgraded(response)) {
			// Counted in beforeHandshake, but never opened (the upgrade failed, or the
			// handshake itself was refused: no key, an unsupported version).
			slot.release();
			this.addresses.closed(this.addresses.clientAddress(request.getRemoteAddress(),
					request.getHeaders().getFirst("X-Forwarded-For")));
		}
	}

	private static boolean upgraded(ServerHttpResponse response) {
		return !(response instanceof ServletServerHttpResponse servlet)
				|| servlet.getServletResponse().getStatus() == HttpStatus.SWITCHING_PROTOCOLS.value();
	}

}
