package io.herald.bench;

import java.time.Duration;
import java.util.List;

import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * One load pattern: either {@code subscribers} that stay while the publisher sends (at
 * {@code rate} messages a second, or as fast as they keep up when the rate is 0), with
 * {@code stalled} more that stop reading once subscribed; or connection churn at
 * {@code churnRate} short visits a second; or a soak of {@code cycles} short visits, at most
 * {@value #SOAK_IN_FLIGHT} open at once, with Herald's memory, threads and descriptors looked at
 * before and after. {@code heap}: also Herald's heap after a full GC, idle and all connected.
 */
record Scenario(String key, String title, int subscribers, MqttQoS qos, double rate, Duration duration,
		double churnRate, int stalled, int cycles, boolean heap) {

	/** Messages the windowed publisher may be ahead of the slowest subscriber. */
	static final int WINDOW = 100;

	/** Soak: visits open at once. */
	static final int SOAK_IN_FLIGHT = 50;

	Scenario(String key, String title, int subscribers, MqttQoS qos, double rate, Duration duration,
			double churnRate) {
		this(key, title, subscribers, qos, rate, duration, churnRate, 0, 0, false);
	}

	boolean churn() {
		return this.churnRate > 0;
	}

	boolean soak() {
		return this.cycles > 0;
	}

	boolean asFastAsPossible() {
		return !churn() && !soak() && this.rate == 0;
	}

	/** Why this scenario does not run against {@code target}, or null if it does. */
	String skipReason(Target target) {
		if (target.sse() && !"a".equals(this.key) && !"w".equals(this.key)) {
			return "event streams are measured in (a) only";
		}
		if (soak() && (!target.isHerald() || target.sse())) {
			return "the soak looks inside Herald's relay (jcmd, its actuator)";
		}
		return null;
	}

	/** The scenarios; (b)'s hold time and (c)'s duration are this benchmark's choice. */
	static List<Scenario> full() {
		return List.of(
				new Scenario("a", "(a) 1,000 subscribers, QoS 1, 10 msg/s for 40 s", 1000, MqttQoS.AT_LEAST_ONCE, 10,
						Duration.ofSeconds(40), 0),
				new Scenario("b", "(b) 9,000 mostly idle subscribers, QoS 1, 1 msg/s for 10 s", 9000,
						MqttQoS.AT_LEAST_ONCE, 1, Duration.ofSeconds(10), 0, 0, 0, true),
				new Scenario("c", "(c) 100 subscribers, QoS 0, publisher as fast as they keep up (" + WINDOW
						+ " messages ahead at most) for 10 s", 100, MqttQoS.AT_MOST_ONCE, 0, Duration.ofSeconds(10), 0),
				new Scenario("d", "(d) churn: 200 connect+subscribe+disconnect a second for 60 s", 0,
						MqttQoS.AT_LEAST_ONCE, 0, Duration.ofSeconds(60), 200),
				new Scenario("s", "(s) stalled isolation: (a) plus one subscriber that stops reading", 1000,
						MqttQoS.AT_LEAST_ONCE, 10, Duration.ofSeconds(40), 0, 1, 0, false),
				new Scenario("k", "(k) soak: 100,000 connect+subscribe+disconnect, " + SOAK_IN_FLIGHT + " at once", 0,
						MqttQoS.AT_LEAST_ONCE, 0, Duration.ZERO, 0, 0, 100_000, true));
	}

	/** Tiny counts and durations: a smoke run of the whole machinery. */
	static List<Scenario> quick() {
		return List.of(
				new Scenario("a", "(a) quick: 50 subscribers, QoS 1, 10 msg/s for 3 s", 50, MqttQoS.AT_LEAST_ONCE, 10,
						Duration.ofSeconds(3), 0),
				new Scenario("b", "(b) quick: 300 subscribers, QoS 1, 1 msg/s for 3 s", 300, MqttQoS.AT_LEAST_ONCE, 1,
						Duration.ofSeconds(3), 0, 0, 0, true),
				new Scenario("c", "(c) quick: 20 subscribers, QoS 0, as fast as possible for 3 s", 20,
						MqttQoS.AT_MOST_ONCE, 0, Duration.ofSeconds(3), 0),
				new Scenario("d", "(d) quick: churn 50 a second for 3 s", 0, MqttQoS.AT_LEAST_ONCE, 0,
						Duration.ofSeconds(3), 50),
				new Scenario("s", "(s) quick: (a) plus one subscriber that stops reading", 50, MqttQoS.AT_LEAST_ONCE,
						10, Duration.ofSeconds(3), 0, 1, 0, false),
				new Scenario("k", "(k) quick soak: 2,000 connect+subscribe+disconnect, " + SOAK_IN_FLIGHT + " at once",
						0, MqttQoS.AT_LEAST_ONCE, 0, Duration.ZERO, 0, 0, 2_000, true));
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
