package io.herald.page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
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

/**
 * One test page in a headless Chromium that logs its network traffic, for a test of a
 * running Herald, with the steps a user takes and what the page then shows.
 */
abstract class NewsPageSession {

	static final Duration WAIT = Duration.ofSeconds(40);

	@LocalServerPort
	int port;

	ChromeDriver browser;

	ChromiumNetworkLog network;

	private RestClient http;

	private String testName;

	@BeforeEach
	void startBrowser(@TempDir Path profile, TestInfo test) {
		this.browser = HeadlessChromium.startLoggingNetwork(profile);
		this.network = new ChromiumNetworkLog(this.browser);
		this.http = TestHttp.client(this.port, TestTokens.admin());
		this.testName = test.getTestMethod().map((method) -> method.getName()).orElse("browser");
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	/**
	 * Without a choice made on it, the page gives up on a WebSocket that cannot connect,
	 * says so, and receives the news as Server-Sent Events.
	 */
	void fallsBackAndReceives() {
		openPage();
		waitForText("transport-notice", "WebSocket unavailable: using Server-Sent Events");
		assertThat(this.browser.findElement(By.id("transport-sse")).isSelected()).isTrue();
		assertThat(text("transport-notice-detail")).contains("could not be opened");
		subscribe("/news/+/sport");
		waitForState("connected");
		assertThat(text("connection-detail")).contains("Server-Sent Events");
		publish("/news/fallback/sport", "without a WebSocket");
		waitForLive("/news/fallback/sport");
		assertThat(livePayloads()).containsExactly("without a WebSocket");
	}

	String pageUrl() {
		return "https://localhost:" + this.port + "/";
	}

	void openPage() {
		this.browser.get(pageUrl());
	}

	void chooseServerSentEvents() {
		this.browser.findElement(By.id("transport-sse")).click();
	}

	void enterFilter(String filter) {
		WebElement input = this.browser.findElement(By.id("subscribe-filter"));
		input.clear();
		input.sendKeys(filter);
		this.browser.findElement(By.id("subscribe-button")).click();
	}

	void subscribe(String filter) {
		enterFilter(filter);
		waitForText("subscribe-result", "Subscribed to " + filter);
	}

	void waitForState(String... states) {
		new WebDriverWait(this.browser, WAIT)
			.withMessage(() -> "state " + Arrays.toString(states) + "; the page shows " + text("connection"))
			.until((driver) -> List.of(states).contains(text("connection-state")));
	}

	void waitForText(String id, String text) {
		new WebDriverWait(this.browser, WAIT)
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
	}

	void waitForLive(String topic) {
		new WebDriverWait(this.browser, WAIT).withMessage(() -> "no " + topic + "; the page shows " + liveView())
			.until((driver) -> liveTopics().contains(topic));
	}

	void waitForPayload(String payload) {
		new WebDriverWait(this.browser, WAIT).withMessage(() -> "no " + payload + "; the page shows " + liveView())
			.until((driver) -> liveView().contains(payload));
	}

	void waitForHistory(String topic, String payload) {
		new WebDriverWait(this.browser, WAIT).withMessage(() -> payload + " not in the history").until((driver) -> {
			String body = this.http.get()
				.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build(topic))
				.retrieve()
				.body(String.class);
			return body != null && body.contains(payload);
		});
	}

	String text(String id) {
		return this.browser.findElement(By.id(id)).getText();
	}

	/**
	 * Live messages, newest first; retained ones left by other tests on the shared broker
	 * are not this test's news.
	 */
	List<WebElement> liveEntries() {
		return this.browser.findElements(By.cssSelector("#messages li[data-source=live][data-retained=false]"));
	}

	List<String> liveTopics() {
		return liveEntries().stream().map((entry) -> entry.getDomAttribute("data-topic")).toList();
	}

	List<String> livePayloads() {
		return liveEntries().stream().map((entry) -> entry.findElement(By.tagName("pre")).getText()).toList();
	}

	/** Live payloads and gap lines ("gap"), newest first. */
	List<String> liveView() {
		return this.browser
			.findElements(By
				.cssSelector("#messages li[data-source=live][data-retained=false], #messages li[data-source=gap]"))
			.stream()
			.map((entry) -> "gap".equals(entry.getDomAttribute("data-source")) ? "gap"
					: entry.findElement(By.tagName("pre")).getText())
			.toList();
	}

	void publish(String topic, String payload) {
		HttpStatus status = HttpStatus.valueOf(this.http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value());
		assertThat(status).as("publishing to %s", topic).isEqualTo(HttpStatus.ACCEPTED);
	}

	void inBrowser(Runnable steps) {
		HeadlessChromium.screenshotOnFailure(this.browser, getClass().getSimpleName() + "-" + this.testName, steps);
	}

}
