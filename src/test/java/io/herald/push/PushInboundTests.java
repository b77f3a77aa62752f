package io.herald.push;

import org.junit.jupiter.api.Test;

import org.springframework.integration.mqtt.core.MqttPahoClientFactory;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Without a sender the push feed's adapter never connects, even when started explicitly,
 * as starting a stopped context does with every lifecycle bean.
 */
class PushInboundTests {

	@Test
	void startWithoutSenderAsksForNoClient() throws Exception {
		MqttPahoClientFactory clients = mock(MqttPahoClientFactory.class);
		PushInbound inbound = new PushInbound("herald-push-test", clients, false, "$share/herald-push//news/#");

		inbound.start();
		inbound.stop();
		inbound.start();

		verify(clients, never()).getAsyncClientInstance(any(), any());
		verify(clients, never()).getClientInstance(any(), any());
	}

}
