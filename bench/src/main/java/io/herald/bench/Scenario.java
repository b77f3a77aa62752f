package io.herald.bench;

import java.time.Duration;
import java.util.List;

import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * One load pattern: either {@code subscribers} that stay while the publisher sends (at
 * {@code rate} messages a second, or as fast as they keep up when the rate is 0), or connection
 * churn at {@code churnRate} short visits a second.
 */
record Scenario(String key, String title, int subscribers, MqttQoS qos, double rate, Duration duration,
		double churnRate) {

	/** Messages the windowed publisher may be ahead of the slowest subscriber. */
	static final int WINDOW = 100;

	boolean churn() {
		return this.churnRate > 0;
	}

	boolean asFastAsPossible() {
		return !churn() && this.rate == 0;
	}

	/** The scenarios; (b)'s hold time and (c)'s duration are this benchmark's choice. */
	static List<Scenario> full() {
		return List.of(
				new Scenario("a", "(a) 1,000 subscribers, QoS 1, 10 msg/s for 40 s", 1000, MqttQoS.AT_LEAST_ONCE, 10,
						Duration.ofSeconds(40), 0),
				new Scenario("b", "(b) 9,000 mostly idle subscribers, QoS 1, 1 msg/s for 10 s", 9000,
						MqttQoS.AT_LEAST_ONCE, 1, Duration.ofSeconds(10), 0),
				new Scenario("c", "(c) 100 subscribers, QoS 0, publisher as fast as they keep up (" + WINDOW
						+ " messages ahead at most) for 10 s", 100, MqttQoS.AT_MOST_ONCE, 0, Duration.ofSeconds(10), 0),
				new Scenario("d", "(d) churn: 200 connect+subscribe+disconnect a second for 60 s", 0,
						MqttQoS.AT_LEAST_ONCE, 0, Duration.ofSeconds(60), 200));
	}

	/** Tiny counts and durations: a smoke run of the whole machinery. */
	static List<Scenario> quick() {
		return List.of(
				new Scenario("a", "(a) quick: 50 subscribers, QoS 1, 10 msg/s for 3 s", 50, MqttQoS.AT_LEAST_ONCE, 10,
						Duration.ofSeconds(3), 0),
				new Scenario("b", "(b) quick: 300 subscribers, QoS 1, 1 msg/s for 3 s", 300, MqttQoS.AT_LEAST_ONCE, 1,
						Duration.ofSeconds(3), 0),
				new Scenario("c", "(c) quick: 20 subscribers, QoS 0, as fast as possible for 3 s", 20,
						MqttQoS.AT_MOST_ONCE, 0, Duration.ofSeconds(3), 0),
				new Scenario("d", "(d) quick: churn 50 a second for 3 s", 0, MqttQoS.AT_LEAST_ONCE, 0,
						Duration.ofSeconds(3), 50));
	}

	/** Same for every target before its first measured scenario of a round: JIT, pools, caches. */
	static List<Scenario> warmUp(boolean quick) {
		if (quick) {
			return List.of(
					new Scenario("w", "warm-up", 10, MqttQoS.AT_LEAST_ONCE, 10, Duration.ofSeconds(1), 0),
					new Scenario("w", "warm-up churn", 0, MqttQoS.AT_LEAST_ONCE, 0, Duration.ofSeconds(1), 20));
		}
		return List.of(
				new Scenario("w", "warm-up", 200, MqttQoS.AT_LEAST_ONCE, 100, Duration.ofSeconds(5), 0),
				new Scenario("w", "warm-up churn", 0, MqttQoS.AT_LEAST_ONCE, 0, Duration.ofSeconds(3), 100));
	}

}
