package io.herald.relay;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.web.cors.CorsConfiguration;

/**
 * Which web pages may open the relay's WebSocket, the same on both endpoints. By default
 * a page served by the host the handshake was addressed to, on any port (the page on 8443
 * opens the listener on 8444), and {@code https://localhost:*};
 * {@code herald.relay.allowed-origins} replaces that with its patterns. A handshake
 * without {@code Origin} comes from no web page (a server or an app) and is let through:
 * the MQTT CONNECT is what authenticates.
 */
final class OriginPolicy {

	private final @Nullable CorsConfiguration configured;

	OriginPolicy(String @Nullable [] allowedOrigins) {
		if (allowedOrigins == null || allowedOrigins.length == 0) {
			this.configured = null;
		}
		else {
			this.configured = new CorsConfiguration();
			this.configured.setAllowedOriginPatterns(List.of(allowedOrigins));
		}
	}

	/**
	 * Whether a handshake from {@code origin}, addressed to {@code host} (its Host
	 * header), may go on.
	 */
	boolean allows(@Nullable String origin, @Nullable String host) {
		if (origin == null) {
			return true;
		}
		if (this.configured != null) {
			return this.configured.checkOrigin(origin) != null;
		}
		URI uri;
		try {
			uri = URI.create(origin);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		String originHost = uri.getHost();
		if (originHost == null) {
			return false;
		}
		if ("https".equals(uri.getScheme()) && "localhost".equalsIgnoreCase(originHost)) {
			return true;
		}
		return host != null && unbracketed(originHost).equalsIgnoreCase(hostName(host));
	}

	/** Why a handshake is refused, for its 403. */
	String refusal(String origin) {
		return "Origin " + origin + " is not allowed (herald.relay.allowed-origins)";
	}

	/**
	 * The host of a Host header, without its port ({@code [::1]:8443} gives
	 * {@code [::1]}).
	 */
	private static String hostName(String host) {
		int colon = host.lastIndexOf(':');
		boolean hasPort = colon > 0 && host.indexOf(']') < colon;
		String name = hasPort ? host.substring(0, colon) : host;
		return unbracketed(name);
	}

	private static String unbracketed(String name) {
		return (name.startsWith("[") && name.endsWith("]")) ? name.substring(1, name.length() - 1) : name;
	}

}
