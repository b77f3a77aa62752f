package io.herald.relay;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The first step of a shutdown, once readiness is down: both endpoints answer new
 * handshakes 503 while the relayed browsers stay for {@code herald.relay.drain-delay},
 * time for a load balancer to send new browsers elsewhere. Then the registry tells the
 * relayed ones to go away.
 */
final class RelayDrain implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RelayDrain.class);

	private final RelayRegistry registry;

	private final Duration delay;

	private volatile boolean running;

	RelayDrain(RelayRegistry registry, Duration delay) {
		this.registry = registry;
		this.delay = delay;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.registry.refuseNewBrowsers();
		if (!this.delay.isZero()) {
			logger.info("Shutting down: refusing new browsers, the {} relayed stay for {}", this.registry.size(),
					this.delay);
			try {
				Thread.sleep(this.delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
