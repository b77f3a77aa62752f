package io.herald.push;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Allow-list patterns: {@code *} within one host label or path segment, {@code **} the
 * rest.
 */
class EndpointPatternTests {

	@Test
	void starIsOneHostLabel() {
		EndpointPattern apple = EndpointPattern.of("https://*.push.apple.com/**");

		assertThat(apple.matches("https://web.push.apple.com/QGuQyavXutnMH")).isTrue();
		assertThat(apple.matches("https://WEB.Push.Apple.com/x")).isTrue();
		assertThat(apple.matches("https://a.b.push.apple.com/x")).isFalse();
		assertThat(apple.matches("https://push.apple.com/x")).isFalse();
		assertThat(apple.matches("https://evil.com/.push.apple.com/x")).isFalse();
		assertThat(apple.matches("https://evil.com#.push.apple.com/x")).isFalse();
		assertThat(apple.matches("https://x.push.apple.com.evil.com/x")).isFalse();
		assertThat(apple.matches("https://x@web.push.apple.com/x")).isFalse();
		assertThat(apple.matches("http://web.push.apple.com/x")).isFalse();
		assertThat(apple.matches("https://web.push.apple.com:444/x")).isFalse();
	}

	@Test
	void starIsOnePathSegmentAndDoubleStarTheRest() {
		EndpointPattern segment = EndpointPattern.of("https://push.example.com/v1/*/send");
		EndpointPattern rest = EndpointPattern.of("https://push.example.com/v1/**");

		assertThat(segment.matches("https://push.example.com/v1/abc/send")).isTrue();
		assertThat(segment.matches("https://push.example.com/v1/a/b/send")).isFalse();
		assertThat(rest.matches("https://push.example.com/v1/a/b/c?x=1")).isTrue();
		assertThat(rest.matches("https://push.example.com/v2/a")).isFalse();
		assertThat(rest.matches("not a url")).isFalse();
	}

	@Test
	void somethingThatIsNotAUrlPatternIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointPattern.of("fcm.googleapis.com/**"))
			.withMessageContaining("herald.push.allowed-endpoints");
	}

}
