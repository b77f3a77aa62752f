package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses a WebSocket handshake that offers neither MQTT subprotocol, with a 400 problem detail
 * instead of an upgrade the client could not use.
 */
class MqttSubprotocolInterceptor implements HandshakeInterceptor {

	static final List<String> SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");

	static final String DETAIL = "Sec-WebSocket-Protocol must offer mqtt (MQTT 3.1.1 and 5) or mqttv3.1 (MQTT 3.1)";

	private static final String PROBLEM = """
			{"type":"about:blank","title":"Bad Request","status":400,"detail":"%s","instance":"%s"}""";

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
			WebSocketHandler handler, Map<String, Object> attributes) throws Exception {
		List<String> offered = request.getHeaders().getValuesAsList("Sec-WebSocket-Protocol");
		if (offered.stream().anyMatch((protocol) -> SUBPROTOCOLS.contains(protocol.trim()))) {
			return true;
		}
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		String path = request.getURI().getRawPath().replace("\"", "");
		response.getBody().write(PROBLEM.formatted(DETAIL, path).getBytes(StandardCharsets.UTF_8));
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception exception) {
	}

}
