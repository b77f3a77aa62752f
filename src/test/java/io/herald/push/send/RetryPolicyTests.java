package io.herald.push.send;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

	private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), this.clock);

	@Test
	void retryAfterInSecondsIsTheDelay() {
		assertThat(this.policy.delay(1, "120")).isEqualTo(Duration.ofSeconds(120));
		assertThat(this.policy.delay(1, " 0 ")).isEqualTo(Duration.ZERO);
	}

	@Test
	void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
		assertThat(this.policy.delay(1, "Thu, 03 Dec 2026 10:00:07 GMT")).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.policy.delay(1, "Thu, 03 Dec 2026 09:59:00 GMT")).isEqualTo(Duration.ZERO);
	}

	@Test
	void aRetryAfterLongerThanTheMaximumBackoffIsTooLong() {
		assertThat(this.policy.tooLong(this.policy.delay(1, "31"))).isTrue();
		assertThat(this.policy.tooLong(this.policy.delay(1, "99999999999999999999"))).isTrue();
		assertThat(this.policy.tooLong(this.policy.delay(1, "30"))).isFalse();
	}

	@Test
	void withoutAValidRetryAfterTheBackoffDoublesWithJitterUpToTheMaximum() {
		for (int i = 0; i < 100; i++) {
			assertThat(this.policy.delay(1, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
			assertThat(this.policy.delay(3, "soon")).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
			assertThat(this.policy.delay(40, null)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
		}
	}

}
