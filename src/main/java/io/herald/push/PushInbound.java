package io.herald.push;

import org.springframework.integration.mqtt.core.MqttPahoClientFactory;
import org.springframework.integration.mqtt.inbound.MqttPahoMessageDrivenChannelAdapter;

/**
 * The push feed's MQTT adapter, which never connects while there is no sender to hand
 * messages to: not at start, and not when a stopped context is started again (a start
 * reaches every lifecycle bean, those without auto-startup too).
 */
class PushInbound extends MqttPahoMessageDrivenChannelAdapter {

	private final boolean sending;

	PushInbound(String clientId, MqttPahoClientFactory clientFactory, boolean sending, String... topics) {
		super(clientId, clientFactory, topics);
		this.sending = sending;
		setAutoStartup(sending);
	}

	@Override
	protected void doStart() {
		if (this.sending) {
			super.doStart();
		}
	}

	@Override
	protected void doStop() {
		if (this.sending) {
			super.doStop();
		}
	}

}
