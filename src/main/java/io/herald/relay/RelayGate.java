package io.herald.relay;

import java.util.List;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.jspecify.annotations.Nullable;

/**
 * What every relayed browser is checked against: who may connect, and with which rights
 * and limits. Absent when {@code herald.security.enabled} is {@code false}: bytes then
 * pass unread.
 *
 * @param access who a browser is and what it may do
 * @param settings the limits and broker credentials
 */
record RelayGate(RelayAccess access, GuardSettings settings) {

	/**
	 * The query parameter a browser may carry its token in, for clients that cannot set a
	 * password.
	 */
	static final String TOKEN_PARAMETER = "access_token";

	MqttGuard guard(MqttGuard.Output out, @Nullable String urlToken) {
		return new MqttGuard(out, this.access, this.settings, urlToken);
	}

	/** The token in a WebSocket URL's query, if any. */
	static @Nullable String urlToken(@Nullable String uri) {
		if (uri == null) {
			return null;
		}
		List<String> values = new QueryStringDecoder(uri).parameters().get(TOKEN_PARAMETER);
		return (values != null && !values.isEmpty() && !values.get(0).isEmpty()) ? values.get(0) : null;
	}

}
