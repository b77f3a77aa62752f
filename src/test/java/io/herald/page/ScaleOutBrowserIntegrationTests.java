package io.herald.page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.HeraldApplication;
import io.herald.support.MosquittoProcess;
import io.herald.support.TestDatabase;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald instances share nothing: two of them in front of one Mosquitto, a browser on
 * each, and a REST publish made to either reaches both browsers.
 */
class ScaleOutBrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void stopEverything() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void publishToEitherInstanceReachesBrowsersOnBoth(@TempDir Path profiles) {
		MosquittoProcess mosquitto = keep(MosquittoProcess.start());
		int first = port(keep(herald(mosquitto)));
		int second = port(keep(herald(mosquitto)));
		ChromeDriver browserOnFirst = keep(HeadlessChromium.start(profiles.resolve("first")));
		ChromeDriver browserOnSecond = keep(HeadlessChromium.start(profiles.resolve("second")));

		HeadlessChromium.screenshotOnFailure(browserOnFirst, "ScaleOut-first", () -> subscribe(browserOnFirst, first));
		HeadlessChromium.screenshotOnFailure(browserOnSecond, "ScaleOut-second",
				() -> subscribe(browserOnSecond, second));

		publish(first, "/news/europe/sport", "published on the first instance");
		publish(second, "/news/asia/sport", "published on the second instance");

		for (ChromeDriver browser : List.of(browserOnFirst, browserOnSecond)) {
			HeadlessChromium.screenshotOnFailure(browser, "ScaleOut-received", () -> {
				waitForLive(browser, "/news/europe/sport", "published on the first instance");
				waitForLive(browser, "/news/asia/sport", "published on the second instance");
			});
		}
	}

	private static ConfigurableApplicationContext herald(MosquittoProcess mosquitto) {
		return new SpringApplicationBuilder(HeraldApplication.class).run(TestDatabase.withArguments("--server.port=0",
				"--herald.relay.listener.port=0", "--herald.broker.embedded=false",
				"--herald.broker.url=" + mosquitto.tcpUri(), "--herald.tls.self-signed-directory=target/tls",
				// Instances behind one load balancer verify tokens with the same secret.
				"--herald.security.jwt.secret=" + TestTokens.SECRET));
	}

	private static int port(ConfigurableApplicationContext herald) {
		return herald.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static void subscribe(ChromeDriver browser, int port) {
		browser.get("https://localhost:" + port + "/");
		new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("connection-state"), "connected"));
		WebElement filter = browser.findElement(By.id("subscribe-filter"));
		filter.clear();
		filter.sendKeys("/news/+/sport");
		browser.findElement(By.id("subscribe-button")).click();
		new WebDriverWait(browser, WAIT)
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscribe-result"), "Subscribed to"));
	}

	private static void waitForLive(ChromeDriver browser, String topic, String payload) {
		By entry = By.cssSelector("#messages li[data-source=live][data-topic='" + topic + "'] pre");
		new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(entry, payload));
	}

	private static void publish(int port, String topic, String payload) {
		int status = TestHttp.client(port, TestTokens.admin())
			.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value();
		assertThat(status).as("publishing to %s on port %d", topic, port).isEqualTo(202);
	}

	private <T> T keep(T resource) {
		if (resource instanceof ChromeDriver browser) {
			this.resources.add(browser::quit);
		}
		else {
			this.resources.add((AutoCloseable) resource);
		}
		return resource;
	}

}
