package io.herald.page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MosquittoProcess;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.herald.support.WithExternalMosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The test page in Chromium, in front of a real Mosquitto that goes away (stopped, or
 * killed as in a crash) and comes back: the page says so, reconnects on its own and
 * renews its subscriptions.
 */
@HeraldIntegrationTest
class NewsPageReconnectBrowserIntegrationTests extends WithExternalMosquitto {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@LocalServerPort
	private int port;

	private ChromeDriver browser;

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void reconnectsAndRenewsSubscriptionsAfterBrokerOutage(Outage outage, @TempDir Path profile) {
		this.browser = HeadlessChromium.start(profile);
		HeadlessChromium.screenshotOnFailure(this.browser, getClass().getSimpleName(), () -> {
			this.browser.get("https://localhost:" + this.port + "/");
			waitForState("connected");
			WebElement filter = this.browser.findElement(By.id("subscribe-filter"));
			filter.clear();
			filter.sendKeys("/news/+/sport");
			this.browser.findElement(By.id("subscribe-button")).click();
			new WebDriverWait(this.browser, WAIT).until(ExpectedConditions
				.textToBePresentInElementLocated(By.id("subscribe-result"), "Subscribed to /news/+/sport"));

			outage.begin(mosquitto);

			new WebDriverWait(this.browser, WAIT).until((driver) -> List.of("reconnecting", "failed")
				.contains(driver.findElement(By.id("connection-state")).getText()));
			assertThat(this.browser.findElement(By.id("connection-detail")).getText()).isNotBlank();

			mosquitto = mosquitto.restart();

			waitForState("connected");
			RestClient http = TestHttp.client(this.port, TestTokens.admin());
			await().atMost(WAIT)
				.until(() -> http.post()
					.uri("/api/news")
					.contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("topic", "/news/europe/sport", "payload", "back again"))
					.retrieve()
					.toBodilessEntity()
					.getStatusCode(), HttpStatus.ACCEPTED::equals);
			new WebDriverWait(this.browser, WAIT).until((driver) -> !driver
				.findElements(By.cssSelector("#messages li[data-source=live][data-topic='/news/europe/sport']"))
				.isEmpty());
		});
	}

	private void waitForState(String state) {
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.textToBe(By.id("connection-state"), state));
	}

	/** How the broker goes away. */
	enum Outage {

		/** SIGTERM: Mosquitto closes its connections and exits. */
		STOPPED {

			@Override
			void begin(MosquittoProcess broker) {
				broker.stop();
			}

		},

		/** SIGKILL: a crash, the kernel closes its sockets. */
		KILLED {

			@Override
			void begin(MosquittoProcess broker) {
				broker.kill();
			}

		};

		abstract void begin(MosquittoProcess broker);

	}

}
