package io.herald.push;

/**
 * Hands a message to the Web Push sender for one subscription. Implementations return
 * quickly (the push itself is asynchronous): they are called on the push feed's thread.
 * When a push service answers that a subscription is gone, the sender calls
 * {@link PushSubscriptions#gone(java.util.UUID)}.
 */
public interface PushDelivery {

	/**
	 * Push {@code payload}, received on {@code topic}, to {@code subscription}.
	 */
	void deliver(PushSubscription subscription, String topic, byte[] payload);

}
