package io.herald.page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.herald.page.ChromiumNetworkLog.MqttConnect;
import io.herald.relay.RelayListener;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.PahoClients;
import io.herald.support.TestTls;
import io.herald.support.TestTokens;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test page's token field in a real headless Chromium, against a real Herald: kept
 * for the tab, presented as the MQTT password on every connection attempt, and sent as a
 * bearer token with REST publishes.
 *
 * <p>
 * What the browser sent is read from Chromium's own network log rather than inferred from
 * Herald's answer: the page runs unmodified, and the CONNECT is the packet that went over
 * the WebSocket, decoded by Netty's MQTT codec. Recording at the broker would not do:
 * Herald never passes the token on.
 */
@HeraldIntegrationTest
class NewsPageTokenBrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Autowired
	private RelayListener listener;

	private ChromeDriver browser;

	private ChromiumNetworkLog network;

	private MqttClient otherDevice;

	private String testName;

	@BeforeEach
	void startBrowser(@TempDir Path profile, TestInfo test) {
		this.browser = HeadlessChromium.startLoggingNetwork(profile);
		this.network = new ChromiumNetworkLog(this.browser);
		this.testName = test.getTestMethod().map((method) -> method.getName()).orElse("browser");
	}

	@AfterEach
	void stopBrowser() {
		PahoClients.closeQuietly(this.otherDevice);
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void keepsTheTokenForTheTabAcrossAReload() {
		inBrowser(() -> {
			openConnectedPage();
			String kept = TestTokens.subscribing("/news/#");
			this.browser.findElement(By.id("token")).sendKeys(kept);

			this.browser.navigate().refresh();
			waitForState("connected");

			WebElement token = this.browser.findElement(By.id("token"));
			assertThat(token.getDomProperty("value")).isEqualTo(kept);
			assertThat(this.browser.executeScript("return sessionStorage.getItem('herald.token');")).isEqualTo(kept);
			assertThat(token.getDomAttribute("type")).isEqualTo("password");
			this.browser.findElement(By.id("token-toggle")).click();
			assertThat(token.getDomAttribute("type")).isEqualTo("text");

			erase(token);
			assertThat(this.browser.executeScript("return sessionStorage.getItem('herald.token');")).isNull();
		});
	}

	@Test
	void presentsTheCurrentTokenAsPasswordOnEveryConnectionAttempt() {
		inBrowser(() -> {
			openConnectedPage();
			assertThat(this.network.mqttConnects()).singleElement().satisfies((anonymous) -> {
				assertThat(anonymous.userName()).isNull();
				assertThat(anonymous.password()).isNull();
			});

			String firstToken = TestTokens.subscribing("/news/#");
			String secondToken = TestTokens.subscribing("/news/#", "/weather/#");
			WebElement token = this.browser.findElement(By.id("token"));
			token.sendKeys(firstToken);
			this.browser.navigate().refresh();
			waitForState("connected");
			MqttConnect first = lastConnect();
			assertThat(first.password()).isEqualTo(firstToken);
			assertThat(first.userName()).isEqualTo("token");

			// Changing the field does not reconnect by itself: the next attempt, here
			// after another
			// device of the same identity took the page's client id over, must ask for
			// the token anew.
			token = this.browser.findElement(By.id("token"));
			erase(token);
			token.sendKeys(secondToken);
			this.otherDevice = connectAs(first.clientId(), firstToken);
			new WebDriverWait(this.browser, WAIT)
				.withMessage(() -> "no CONNECT with the changed token; sent " + this.network.mqttConnects())
				.until((driver) -> secondToken.equals(lastConnect().password()));
			MqttConnect again = lastConnect();
			assertThat(again.clientId()).as("a reconnection, not a new page").isEqualTo(first.clientId());
			assertThat(again.userName()).isEqualTo("token");
			assertThat(this.network.mqttConnects()).extracting(MqttConnect::password)
				.containsExactly(null, firstToken, secondToken);
			waitForState("connected");
		});
	}

	@Test
	void publishesWithTheTokenAsBearerAndAnonymouslyWithout() {
		inBrowser(() -> {
			openConnectedPage();
			WebElement topic = this.browser.findElement(By.id("publish-topic"));
			topic.clear();
			topic.sendKeys("/news/token/sport");
			this.browser.findElement(By.id("publish-button")).click();
			waitForText("publish-result", "Unauthorized (401)");
			assertThat(this.browser.findElement(By.id("publish-result")).getText())
				.contains("Publishing needs a token");

			String publishing = TestTokens.publishing("/news/#");
			this.browser.findElement(By.id("token")).sendKeys(" " + publishing + " ");
			topic.clear();
			topic.sendKeys("/news/token/weather");
			this.browser.findElement(By.id("publish-button")).click();
			waitForText("publish-result", "Published to /news/token/weather");

			assertThat(this.network.requestHeader("POST", pageUrl() + "api/news", "Authorization"))
				.containsExactly(Optional.empty(), Optional.of("Bearer " + publishing));
		});
	}

	@Test
	void showsTheProblemDetailWhenPublishingIsRefused() {
		inBrowser(() -> {
			openConnectedPage();
			this.browser.findElement(By.id("token")).sendKeys("not-a-token");
			this.browser.findElement(By.id("publish-button")).click();
			waitForText("publish-result", "Unauthorized (401)");
			WebElement result = this.browser.findElement(By.id("publish-result"));
			assertThat(result.getText()).contains("check the token field");
			assertThat(result.getDomAttribute("data-outcome")).isEqualTo("problem");

			WebElement token = this.browser.findElement(By.id("token"));
			erase(token);
			token.sendKeys(TestTokens.publishing("/weather/#"));
			this.browser.findElement(By.id("publish-button")).click();
			waitForText("publish-result", "Forbidden (403): The token does not allow publishing to");
			assertThat(this.browser.findElement(By.id("publish-result")).getText())
				.contains("The token does not allow publishing to this topic.");
		});
	}

	/** As a user does it, so that the page hears of it. */
	private static void erase(WebElement field) {
		field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
	}

	private MqttConnect lastConnect() {
		List<MqttConnect> connects = this.network.mqttConnects();
		assertThat(connects).isNotEmpty();
		return connects.get(connects.size() - 1);
	}

	/**
	 * Another client with the page's client id, through the relay listener: the broker
	 * drops the page's session for it, as MQTT requires, and the page reconnects.
	 */
	private MqttClient connectAs(String clientId, String token) {
		try {
			MqttClient client = new MqttClient("wss://localhost:" + this.listener.port() + "/mqtt", clientId,
					new MemoryPersistence());
			MqttConnectOptions options = new MqttConnectOptions();
			options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
			options.setCleanSession(true);
			options.setUserName("token");
			options.setPassword(token.toCharArray());
			options.setConnectionTimeout(10);
			options.setAutomaticReconnect(false);
			options.setSocketFactory(TestTls.trustingAll().getSocketFactory());
			client.setTimeToWait(10_000);
			client.connect(options);
			return client;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Failed to connect as " + clientId, ex);
		}
	}

	private String pageUrl() {
		return "https://localhost:" + this.port + "/";
	}

	private void openConnectedPage() {
		this.browser.get(pageUrl());
		waitForState("connected");
	}

	private void waitForState(String state) {
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.textToBe(By.id("connection-state"), state));
	}

	private void waitForText(String id, String text) {
		new WebDriverWait(this.browser, WAIT)
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
	}

	private void inBrowser(Runnable steps) {
		HeadlessChromium.screenshotOnFailure(this.browser, getClass().getSimpleName() + "-" + this.testName, steps);
	}

}
