package io.herald.push;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PushDelivery} for tests: keeps what it was handed, in order. */
public final class RecordingPushDelivery implements PushDelivery {

	private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

	@Override
	public void deliver(PushSubscription subscription, String topic, byte[] payload) {
		this.deliveries.add(new Delivery(subscription, topic, payload.clone()));
	}

	public List<Delivery> deliveries() {
		return List.copyOf(this.deliveries);
	}

	/**
	 * One message handed over.
	 *
	 * @param subscription to whom
	 * @param topic its topic
	 * @param payload its bytes
	 */
	public record Delivery(PushSubscription subscription, String topic, byte[] payload) {

	}

}
