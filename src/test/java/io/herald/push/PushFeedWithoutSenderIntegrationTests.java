package io.herald.push;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.integration.mqtt.event.MqttSubscribedEvent;
import org.springframework.integration.mqtt.inbound.MqttPahoMessageDrivenChannelAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without a sender (no PushDelivery bean) the push feed does not subscribe, while the
 * rest of Web Push is served.
 */
@HeraldIntegrationTest
@Import(PushFeedWithoutSenderIntegrationTests.Subscriptions.class)
class PushFeedWithoutSenderIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(40);

	@Autowired
	@Qualifier("pushInbound")
	private MqttPahoMessageDrivenChannelAdapter pushInbound;

	@Autowired
	@Qualifier("feedInbound")
	private MqttPahoMessageDrivenChannelAdapter feedInbound;

	@LocalServerPort
	private int port;

	@Autowired
	private Subscriptions subscriptions;

	@Test
	void pushFeedDoesNotSubscribeWhileTheRestOfWebPushIsServed() {
		await().atMost(WAIT).until(() -> this.subscriptions.count("feedInbound") == 1);

		assertThat(this.pushInbound.isRunning()).isFalse();
		assertThat(this.subscriptions.count("pushInbound")).isZero();
		assertThat(TestHttp.get("https://localhost:" + this.port + "/api/push/key").getStatusCode().value())
			.isEqualTo(200);
	}

	/** The adapters that subscribed, by bean name, each time; imported, never scanned. */
	static class Subscriptions {

		private final List<String> names = new CopyOnWriteArrayList<>();

		@EventListener
		void subscribed(MqttSubscribedEvent event) {
			if (event.getSource() instanceof MqttPahoMessageDrivenChannelAdapter adapter) {
				this.names.add(adapter.getBeanName());
			}
		}

		long count(String name) {
			return this.names.stream().filter(name::equals).count();
		}

	}

}
