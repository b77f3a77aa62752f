package io.herald.push.send;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PushSenderSettingsTests {

	@Test
	void acceptsEachUrgencyOfRfc8030() {
		for (String urgency : new String[] { "very-low", "low", "normal", "high" }) {
			assertThat(settings(urgency, 1, Duration.ofSeconds(1), Duration.ofSeconds(30)).urgency())
				.isEqualTo(urgency);
		}
	}

	@Test
	void refusesAnUnknownUrgency() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings("urgent", 1, Duration.ofSeconds(1), Duration.ofSeconds(30)))
			.withMessageContaining("very-low, low, normal or high");
	}

	@Test
	void refusesNoAttemptsAndAMaximumBackoffBelowTheInitialOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings("normal", 0, Duration.ofSeconds(1), Duration.ofSeconds(30)))
			.withMessageContaining("maximum of attempts");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings("normal", 1, Duration.ofSeconds(10), Duration.ofSeconds(1)))
			.withMessageContaining("maximum backoff");
	}

	@Test
	void aTargetShowsNeitherTheEndpointPathNorTheKeysWhenPrinted() {
		BrowserSubscription browser = BrowserSubscription.generate();
		PushTarget target = browser.target("42",
				URI.create("https://fcm.googleapis.com/fcm/send/secret-registration-token"));

		assertThat(target).hasToString("PushTarget[id=42, host=fcm.googleapis.com]");
		assertThat(new PushMessage("/news/europe/sport", "Goal!".getBytes())).asString().doesNotContain("Goal!");
	}

	private static PushSenderSettings settings(String urgency, int attempts, Duration initial, Duration max) {
		return new PushSenderSettings(Duration.ofHours(1), urgency, 4, 100, attempts, initial, max,
				Duration.ofSeconds(10));
	}

}
