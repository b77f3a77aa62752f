package io.herald.page;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.ReservedPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test page's live view as Server-Sent Events in a real headless Chromium, against a
 * real Herald: chosen on the page, or taken by the page itself when the WebSocket cannot
 * connect.
 */
class NewsPageSseBrowserIntegrationTests {

	@Nested
	@HeraldIntegrationTest
	// Small, so that a short outage outlives what the history keeps.
	@TestPropertySource(properties = "herald.feed.history-size=5")
	class ChosenOnThePage extends NewsPageSession {

		// Stopped, it ends every stream and refuses new ones with 503 until started
		// again.
		@Autowired
		@Qualifier("newsStreams")
		private SmartLifecycle streams;

		@AfterEach
		void restartStreams() {
			if (!this.streams.isRunning()) {
				this.streams.start();
			}
		}

		@Test
		void receivesPublishedNewsOverTheEventStream() {
			inBrowser(() -> {
				openPage();
				waitForState("connected");
				chooseServerSentEvents();
				waitForState("idle");
				assertThat(this.browser.findElement(By.id("subscribe-qos")).isEnabled()).isFalse();

				subscribe("/news/stream/sport");
				waitForState("connected");
				assertThat(text("connection-detail")).contains("/api/news/stream (/news/stream/sport)");
				publish("/news/stream/sport", "<b>over SSE</b>");

				waitForLive("/news/stream/sport");
				assertThat(livePayloads()).containsExactly("<b>over SSE</b>");
				assertThat(this.browser.findElements(By.cssSelector("#messages b"))).isEmpty();
				assertThat(this.network.requestUrls(pageUrl() + "api/news/stream"))
					.allSatisfy((url) -> assertThat(url).doesNotContain("access_token"));
			});
		}

		@Test
		void wildcardFiltersMatchOnlyTheirTopics() {
			inBrowser(() -> {
				openPage();
				chooseServerSentEvents();
				subscribe("/news/+/weather");
				waitForState("connected");

				publish("/news/europe/weather", "rain");
				publish("/news/usa/tennis", "Ace");
				// Published last: once it shows, the tennis news had every chance to show
				// too.
				publish("/news/asia/weather", "marker");
				waitForLive("/news/asia/weather");

				assertThat(liveTopics()).containsExactly("/news/asia/weather", "/news/europe/weather");
				assertThat(this.network.requestUrls(pageUrl() + "api/news/stream"))
					.anySatisfy((url) -> assertThat(url).contains("filter=%2Fnews%2F%2B%2Fweather"));
			});
		}

		@Test
		void anInterruptedStreamResumesAfterTheLastEventWithNothingLostOrRepeated() {
			inBrowser(() -> {
				openPage();
				chooseServerSentEvents();
				subscribe("/news/+/sport");
				waitForState("connected");
				publish("/news/before/sport", "before");
				waitForLive("/news/before/sport");
				String lastSeen = liveEntries().get(0).getDomAttribute("data-id");

				this.streams.stop();
				waitForState("failed");
				assertThat(text("connection-detail")).contains("Service Unavailable (503): Herald is shutting down");
				publish("/news/during/sport", "during one");
				publish("/news/during/sport", "during two");
				waitForHistory("/news/during/sport", "during two");
				this.streams.start();
				waitForState("connected");
				publish("/news/after/sport", "after");
				waitForLive("/news/after/sport");

				assertThat(livePayloads()).containsExactly("after", "during two", "during one", "before");
				assertThat(this.network.requestUrls(pageUrl() + "api/news/stream")).anySatisfy((url) -> assertThat(url)
					.contains("lastEventId=" + URLEncoder.encode(lastSeen, StandardCharsets.UTF_8)));
			});
		}

		@Test
		void messagesNoLongerKeptShowAGap() {
			inBrowser(() -> {
				openPage();
				chooseServerSentEvents();
				subscribe("/news/+/sport");
				waitForState("connected");
				publish("/news/before/sport", "before");
				waitForLive("/news/before/sport");

				this.streams.stop();
				waitForState("failed");
				assertThat(text("connection-detail")).contains("Service Unavailable (503): Herald is shutting down");
				for (int i = 1; i <= 8; i++) {
					publish("/news/during/sport", "during " + i);
				}
				waitForHistory("/news/during/sport", "during 8");
				this.streams.start();
				waitForPayload("during 8");

				// The history keeps five: the first three are gone, and the page says so.
				assertThat(liveView()).containsExactly("during 8", "during 7", "during 6", "during 5", "during 4",
						"gap", "before");
				assertThat(text("messages")).contains("Some messages may be missing");
			});
		}

		@Test
		void aFilterOutsideTheRightsShowsTheProblemAndTheStreamGoesOn() {
			inBrowser(() -> {
				openPage();
				chooseServerSentEvents();
				subscribe("/news/+/sport");
				waitForState("connected");

				// Anonymous browsers may subscribe to /news/# only.
				enterFilter("/weather/#");
				waitForText("subscribe-result",
						"Could not subscribe to /weather/#: Forbidden (403): Not authorized to subscribe to /weather/#");
				assertThat(this.browser.findElements(By.cssSelector("#subscriptions li")))
					.extracting((entry) -> entry.getDomAttribute("data-filter"))
					.containsExactly("/news/+/sport");

				waitForState("connected");
				publish("/news/still/sport", "still here");
				waitForLive("/news/still/sport");
			});
		}

	}

	@Nested
	@HeraldIntegrationTest
	// The page's own origin is not among them: both endpoints refuse its handshake.
	@TestPropertySource(properties = "herald.relay.allowed-origins=https://elsewhere.example")
	class WhenTheRelayRefusesTheHandshake extends NewsPageSession {

		@Test
		void thePageFallsBackToServerSentEventsAndSaysSo() {
			inBrowser(this::fallsBackAndReceives);
		}

	}

	@Nested
	@HeraldIntegrationTest
	class WhenTheRelayIsUnreachable extends NewsPageSession {

		private static final ReservedPort nowhere = ReservedPort.reserve();

		@DynamicPropertySource
		static void relayNowhere(DynamicPropertyRegistry properties) {
			properties.add("herald.relay.listener.public-url", () -> "wss://localhost:" + nowhere.port() + "/mqtt");
		}

		@AfterAll
		static void releasePort() throws IOException {
			nowhere.close();
		}

		@Test
		void thePageFallsBackToServerSentEventsAndSaysSo() {
			inBrowser(this::fallsBackAndReceives);
		}

	}

}
