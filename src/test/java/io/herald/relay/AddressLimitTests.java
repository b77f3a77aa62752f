package io.herald.relay;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which address a connection counts under, and the count.
 */
class AddressLimitTests {

	private final AddressLimit limit = new AddressLimit(2, List.of("10.0.0.0/8", "::1"));

	@ParameterizedTest(name = "{0} with X-Forwarded-For {1}: {2}")
	@CsvSource(nullValues = "null", textBlock = """
			192.0.2.7, null,                          192.0.2.7
			192.0.2.7, 198.51.100.1,                  192.0.2.7
			10.1.2.3,  198.51.100.1,                  198.51.100.1
			10.1.2.3,  '203.0.113.9, 198.51.100.1',   198.51.100.1
			10.1.2.3,  '198.51.100.1, 10.9.9.9',      198.51.100.1
			10.1.2.3,  '10.9.9.9, 10.8.8.8',          10.9.9.9
			10.1.2.3,  'evil.example, 10.8.8.8',      evil.example
			10.1.2.3,  '',                            10.1.2.3
			0:0:0:0:0:0:0:1, 2001:db8::5,             2001:db8::5
			""")
	void forwardedForIsBelievedOnlyFromTrustedProxies(String peer, String forwardedFor, String counted) {
		assertThat(this.limit.clientAddress(new InetSocketAddress(peer, 443), forwardedFor)).isEqualTo(counted);
	}

	@Test
	void countsUpToTheMaximumAndFreesOnClose() {
		assertThat(this.limit.tryOpen("192.0.2.7")).isTrue();
		assertThat(this.limit.tryOpen("192.0.2.7")).isTrue();
		assertThat(this.limit.tryOpen("192.0.2.7")).isFalse();
		assertThat(this.limit.tryOpen("192.0.2.8")).isTrue();
		this.limit.closed("192.0.2.7");
		assertThat(this.limit.tryOpen("192.0.2.7")).isTrue();
		assertThat(this.limit.refusal("192.0.2.7")).contains("herald.relay.max-connections-per-address");
	}

	@Test
	void zeroCountsNothing() {
		AddressLimit off = new AddressLimit(0, List.of());
		for (int i = 0; i < 1000; i++) {
			assertThat(off.tryOpen("192.0.2.7")).isTrue();
		}
	}

}
