package io.herald.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.concurrent.Promise;
import org.HdrHistogram.Histogram;

/**
 * Runs one scenario against one target and measures it: the load client's view (connections,
 * deliveries, latency) and the servers' (CPU, RSS and threads from /proc; system calls, TLS
 * records and allocation per delivery through {@link PhaseCounters}).
 */
final class ScenarioRunner {

	/** At most this many browsers between TCP connect and SUBACK at once. */
	private static final int MAX_CONNECTING = 100;

	/** Churn: at most this many visits open at once; beyond, a visit is skipped and counts as failed. */
	private static final int MAX_CHURN_OPEN = 2000;

	static final Duration SETTLE = Duration.ofSeconds(2);

	private final LoadClient client;

	private final int brokerPort;

	private final Hooks hooks;

	private int runs;

	ScenarioRunner(LoadClient client, int brokerPort, Hooks hooks) {
		this.client = client;
		this.brokerPort = brokerPort;
		this.hooks = hooks;
	}

	/** Points in a scenario where a profiler may look at the servers. */
	enum Phase {

		/** Before any subscriber connects. */
		IDLE,
		/** Every subscriber connected, before the measured phase. */
		LOADED,
		/** The measured phase (publishing, or churn) is about to start. */
		MEASURE_START,
		/** The measured phase ended. */
		MEASURE_END

	}

	/** Called at each {@link Phase}, outside the measured CPU time where it can be. */
	interface Hooks {

		void at(Phase phase, Scenario scenario, Target target);

	}

	Result run(Scenario scenario, Target target, int round) {
		this.runs++;
		String prefix = "r" + round + "-" + scenario.key() + this.runs + "-";
		Result result = new Result(scenario.key(), target.name(), round);
		try (Watch watch = new Watch(target.serverPids())) {
			if (scenario.soak()) {
				new Soak(this.client, this.hooks).run(scenario, target, prefix, result);
			}
			else if (scenario.churn()) {
				churn(scenario, target, prefix, result);
			}
			else {
				deliver(scenario, target, prefix, result);
			}
			result.put(Figure.SERVER_THREADS_MAX, watch.maxThreads());
			if (target.isHerald()) {
				result.put(Figure.OUT_OF_MEMORY_ERRORS, new HeraldProbe(this.client, target).outOfMemoryErrors());
			}
		}
		return result;
	}

	private void deliver(Scenario scenario, Target target, String prefix, Result result) {
		Publisher publisher = this.client.publisher(this.brokerPort, prefix + "publisher", target.sse());
		boolean heap = scenario.heap() && target.isHerald();
		Cohort stalled = null;
		try {
			this.hooks.at(Phase.IDLE, scenario, target);
			if (heap) {
				result.put(Figure.HEAP_BEFORE_MB, HeraldProbe.heapAfterGcMb(target.server().pid()));
			}
			ProcStats.Sample idleServer = ProcStats.sample(target.serverPids());
			ProcStats.Sample idleAll = ProcStats.sample(target.allPids());
			result.put(Figure.SERVER_THREADS_IDLE, idleServer.threads());
			Tally tally = new Tally();
			Cohort cohort = new Cohort(this.client, target, scenario.qos(), false, prefix, tally, MAX_CONNECTING);
			long start = System.nanoTime();
			cohort.connect(scenario.subscribers(), Duration.ofSeconds(30 + scenario.subscribers() / 25));
			ProcStats.Sample connectedAll = ProcStats.sample(target.allPids());
			int connected = cohort.succeeded();
			putConnects(result, scenario.subscribers(), cohort, start, connectedAll.minus(idleAll));
			if (scenario.stalled() > 0) {
				stalled = new Cohort(this.client, target, scenario.qos(), false, true, false, prefix + "stalled-",
						new Tally(), scenario.stalled());
				stalled.connect(scenario.stalled(), Duration.ofSeconds(30));
				if (stalled.succeeded() < scenario.stalled()) {
					System.err.printf("    stalled subscribers: %d of %d subscribed; failures: %s%n", stalled.succeeded(),
							scenario.stalled(), stalled.failures());
				}
			}

			ServerProcess.sleep(SETTLE);
			ProcStats.Sample loadedServer = ProcStats.sample(target.serverPids());
			ProcStats.Sample loadedAll = ProcStats.sample(target.allPids());
			result.put(Figure.SERVER_RSS_KB_PER_CONNECTION, perConnection(loadedServer.rssKb() - idleServer.rssKb(), connected));
			result.put(Figure.ALL_RSS_KB_PER_CONNECTION, perConnection(loadedAll.rssKb() - idleAll.rssKb(), connected));
			if (heap) {
				double loaded = HeraldProbe.heapAfterGcMb(target.server().pid());
				result.put(Figure.HEAP_AFTER_MB, loaded);
				result.put(Figure.HEAP_MB_PER_1000,
						connected == 0 ? Double.NaN : (loaded - result.get(Figure.HEAP_BEFORE_MB)) * 1000 / connected);
			}
			this.hooks.at(Phase.LOADED, scenario, target);
			this.hooks.at(Phase.MEASURE_START, scenario, target);

			PhaseCounters counters = PhaseCounters.start(this.client, target, true);
			ProcStats.Sample before = ProcStats.sample(target.allPids());
			ProcStats.Sample serverBefore = ProcStats.sample(target.serverPids());
			ProcStats.Sample clientBefore = ProcStats.self();
			tally.latencyMicros();
			long publishStart = System.nanoTime();
			Promise<Void> sent = scenario.asFastAsPossible()
					? publisher.asFastAsPossible(scenario.duration(), Scenario.WINDOW, cohort::slowestSeq, scenario.qos())
					: publisher.atRate(scenario.rate(), scenario.duration(), scenario.qos());
			sent.awaitUninterruptibly(scenario.duration().toMillis() + 30_000);
			drain(tally, () -> publisher.published() * connected);
			long elapsed = System.nanoTime() - publishStart;
			ProcStats.Sample used = ProcStats.sample(target.allPids()).minus(before);
			ProcStats.Sample serverUsed = ProcStats.sample(target.serverPids()).minus(serverBefore);
			ProcStats.Sample clientUsed = ProcStats.self().minus(clientBefore);
			counters.stop();
			this.hooks.at(Phase.MEASURE_END, scenario, target);

			long expected = publisher.published() * connected;
			long delivered = tally.delivered();
			long last = tally.lastDeliveryNanos();
			double seconds = (last == Long.MIN_VALUE ? elapsed : last - publishStart) / 1e9;
			Histogram latency = tally.latencyMicros();
			result.put(Figure.EXPECTED, expected);
			result.put(Figure.DELIVERED, delivered);
			result.put(Figure.LOST, expected - delivered);
			result.put(Figure.DUPLICATES, tally.duplicates());
			result.put(Figure.DELIVERIES_PER_SECOND, delivered / seconds);
			result.put(Figure.P50_MS, latency.getValueAtPercentile(50) / 1000.0);
			result.put(Figure.P99_MS, latency.getValueAtPercentile(99) / 1000.0);
			result.put(Figure.MAX_MS, latency.getMaxValue() / 1000.0);
			result.put(Figure.CPU_US_PER_DELIVERY, delivered == 0 ? Double.NaN : (double) used.cpuMicros() / delivered);
			result.put(Figure.CLIENT_CPU_PERCENT, 100.0 * clientUsed.cpuMicros() / (elapsed / 1000.0));
			putUserAndSystem(result, serverUsed, delivered);
			counters.put(result, delivered);
			if (stalled != null) {
				result.put(Figure.STALLED_OPEN, stalled.open());
			}
			cohort.leaveAll(Duration.ofSeconds(60));
		}
		finally {
			if (stalled != null) {
				stalled.leaveAll(Duration.ofSeconds(30));
			}
			publisher.close();
		}
	}

	private void churn(Scenario scenario, Target target, String prefix, Result result) {
		this.hooks.at(Phase.IDLE, scenario, target);
		this.hooks.at(Phase.MEASURE_START, scenario, target);
		PhaseCounters counters = PhaseCounters.start(this.client, target, false);
		ProcStats.Sample idleServer = ProcStats.sample(target.serverPids());
		ProcStats.Sample idleAll = ProcStats.sample(target.allPids());
		ProcStats.Sample clientBefore = ProcStats.self();
		result.put(Figure.SERVER_THREADS_IDLE, idleServer.threads());
		Cohort cohort = new Cohort(this.client, target, scenario.qos(), true, prefix, new Tally(), MAX_CHURN_OPEN);
		int planned = (int) Math.round(scenario.churnRate() * scenario.duration().toNanos() / 1e9);
		AtomicInteger skipped = new AtomicInteger();
		AtomicInteger ticks = new AtomicInteger();
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		long start = System.nanoTime();
		try {
			scheduler.scheduleAtFixedRate(() -> {
				if (ticks.getAndIncrement() < planned && !cohort.tryStartOne()) {
					skipped.incrementAndGet();
				}
			}, 0, Math.round(1e9 / scenario.churnRate()), TimeUnit.NANOSECONDS);
			Cohort.await(() -> ticks.get() >= planned, start + scenario.duration().toNanos() + 10_000_000_000L);
		}
		finally {
			scheduler.shutdownNow();
		}
		long elapsed = System.nanoTime() - start;
		cohort.awaitClosed(Duration.ofSeconds(30));
		ProcStats.Sample used = ProcStats.sample(target.allPids()).minus(idleAll);
		ProcStats.Sample serverUsed = ProcStats.sample(target.serverPids()).minus(idleServer);
		ProcStats.Sample clientUsed = ProcStats.self().minus(clientBefore);
		counters.stop();
		this.hooks.at(Phase.MEASURE_END, scenario, target);
		Histogram times = cohort.establishMicros();
		int ok = cohort.succeeded();
		result.put(Figure.ATTEMPTED, planned);
		result.put(Figure.CONNECTED, ok);
		result.put(Figure.CONNECTS_PER_SECOND, ok / (elapsed / 1e9));
		result.put(Figure.CONNECT_P50_MS, times.getTotalCount() == 0 ? Double.NaN : times.getValueAtPercentile(50) / 1000.0);
		result.put(Figure.CONNECT_P99_MS, times.getTotalCount() == 0 ? Double.NaN : times.getValueAtPercentile(99) / 1000.0);
		result.put(Figure.CONNECT_MAX_MS, times.getTotalCount() == 0 ? Double.NaN : times.getMaxValue() / 1000.0);
		result.put(Figure.CONNECT_CPU_MS, ok == 0 ? Double.NaN : used.cpuMicros() / 1000.0 / ok);
		result.put(Figure.SERVER_RSS_GROWTH_MB, (ProcStats.sample(target.serverPids()).rssKb() - idleServer.rssKb()) / 1024.0);
		result.put(Figure.CLIENT_CPU_PERCENT, 100.0 * clientUsed.cpuMicros() / (elapsed / 1000.0));
		putUserAndSystem(result, serverUsed, ok);
		counters.put(result, ok);
		report(cohort, planned - ok, skipped.get());
	}

	/**
	 * The WebSocket server's own CPU (the broker's not included) split into user and kernel time,
	 * per delivery or per visit: which of the two a difference between targets is made of.
	 */
	private static void putUserAndSystem(Result result, ProcStats.Sample serverUsed, long count) {
		if (count > 0) {
			result.put(Figure.SERVER_USER_US_PER_DELIVERY, (double) serverUsed.userMicros() / count);
			result.put(Figure.SERVER_SYSTEM_US_PER_DELIVERY, (double) serverUsed.systemMicros() / count);
		}
	}

	static void putConnects(Result result, int attempted, Cohort cohort, long start, ProcStats.Sample used) {
		int connected = cohort.succeeded();
		long last = cohort.lastEstablishedNanos();
		result.put(Figure.ATTEMPTED, attempted);
		result.put(Figure.CONNECTED, connected);
		result.put(Figure.CONNECT_SECONDS, last == Long.MIN_VALUE ? Double.NaN : (last - start) / 1e9);
		result.put(Figure.CONNECT_CPU_MS, connected == 0 ? Double.NaN : used.cpuMicros() / 1000.0 / connected);
		Histogram times = cohort.establishMicros();
		if (times.getTotalCount() > 0) {
			result.put(Figure.CONNECT_P50_MS, times.getValueAtPercentile(50) / 1000.0);
			result.put(Figure.CONNECT_P99_MS, times.getValueAtPercentile(99) / 1000.0);
			result.put(Figure.CONNECT_MAX_MS, times.getMaxValue() / 1000.0);
		}
		report(cohort, attempted - connected, 0);
	}

	/** Wait until every expected delivery arrived, or none arrived for 3 s (at most 30 s). */
	private static void drain(Tally tally, java.util.function.LongSupplier expected) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		long lastCount = -1;
		long lastChange = System.nanoTime();
		while (System.nanoTime() < deadline && tally.delivered() < expected.getAsLong()) {
			long count = tally.delivered();
			if (count != lastCount) {
				lastCount = count;
				lastChange = System.nanoTime();
			}
			else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(3)) {
				return;
			}
			ServerProcess.sleep(20);
		}
	}

	static void report(Cohort cohort, int missing, int skipped) {
		if (missing > 0) {
			System.err.printf("    %d connections missing (%d skipped by the client); failures: %s%n", missing,
					skipped, cohort.failures());
		}
	}

	private static double perConnection(long kb, int connections) {
		return connections == 0 ? Double.NaN : (double) kb / connections;
	}

}
