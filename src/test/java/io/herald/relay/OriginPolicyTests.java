package io.herald.relay;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which pages may open the relay's WebSocket, by default and with configured patterns.
 */
class OriginPolicyTests {

	@ParameterizedTest(name = "{0} to {1}: {2}")
	@CsvSource(nullValues = "null", textBlock = """
			https://push.example.com:8443, push.example.com:8444,  true
			https://push.example.com,      push.example.com:8444,  true
			http://push.example.com:8080,  push.example.com,       true
			https://PUSH.example.com,      push.example.com:8444,  true
			https://localhost:5173,        push.example.com:8444,  true
			http://localhost:5173,         push.example.com:8444,  false
			https://evil.test,             push.example.com:8444,  false
			https://push.example.com.evil, push.example.com:8444,  false
			http://[::1]:8443,             [::1]:8444,             true
			null,                          push.example.com,       true
			null,                          null,                   true
			https://push.example.com,      null,                   false
			not a url,                     push.example.com,       false
			""")
	void defaultAllowsTheAddressedHostOnAnyPortAndLocalhostOverHttps(String origin, String host, boolean allowed) {
		assertThat(new OriginPolicy(null).allows(origin, host)).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(textBlock = """
			https://news.example.com, true
			https://example.com,      false
			https://localhost:8443,   false
			""")
	void configuredPatternsReplaceTheDefault(String origin, boolean allowed) {
		assertThat(new OriginPolicy(new String[] { "https://*.example.com" }).allows(origin, "localhost:8443"))
			.isEqualTo(allowed);
	}

}
