package io.herald.bench;

import java.time.Duration;

import org.HdrHistogram.Histogram;

/**
 * The soak scenario: many short visits to Herald's relay, a bounded number open at once, with
 * Herald's heap after a full GC, threads, open descriptors and direct buffers looked at before
 * and after, so that what a visit leaves behind shows.
 */
final class Soak {

	private final LoadClient client;

	private final ScenarioRunner.Hooks hooks;

	Soak(LoadClient client, ScenarioRunner.Hooks hooks) {
		this.client = client;
		this.hooks = hooks;
	}

	void run(Scenario scenario, Target target, String prefix, Result result) {
		HeraldProbe probe = new HeraldProbe(this.client, target);
		this.hooks.at(ScenarioRunner.Phase.IDLE, scenario, target);
		HeraldProbe.Snapshot before = probe.snapshot();
		this.hooks.at(ScenarioRunner.Phase.MEASURE_START, scenario, target);
		ProcStats.Sample idleAll = ProcStats.sample(target.allPids());
		ProcStats.Sample clientBefore = ProcStats.self();
		result.put(Figure.SERVER_THREADS_IDLE, before.threads());
		Cohort cohort = new Cohort(this.client, target, scenario.qos(), true, false, true, prefix, new Tally(),
				Scenario.SOAK_IN_FLIGHT);
		long start = System.nanoTime();
		cohort.connect(scenario.cycles(), Duration.ofSeconds(120 + scenario.cycles() / 20));
		cohort.awaitClosed(Duration.ofSeconds(30));
		long elapsed = System.nanoTime() - start;
		ProcStats.Sample used = ProcStats.sample(target.allPids()).minus(idleAll);
		ProcStats.Sample clientUsed = ProcStats.self().minus(clientBefore);
		this.hooks.at(ScenarioRunner.Phase.MEASURE_END, scenario, target);
		ServerProcess.sleep(ScenarioRunner.SETTLE);
		HeraldProbe.Snapshot after = probe.snapshot();

		int ok = cohort.succeeded();
		Histogram times = cohort.establishMicros();
		result.put(Figure.ATTEMPTED, scenario.cycles());
		result.put(Figure.CONNECTED, ok);
		result.put(Figure.FAILED, scenario.cycles() - ok);
		result.put(Figure.CONNECTS_PER_SECOND, ok / (elapsed / 1e9));
		if (times.getTotalCount() > 0) {
			result.put(Figure.CONNECT_P50_MS, times.getValueAtPercentile(50) / 1000.0);
			result.put(Figure.CONNECT_P99_MS, times.getValueAtPercentile(99) / 1000.0);
			result.put(Figure.CONNECT_MAX_MS, times.getMaxValue() / 1000.0);
		}
		result.put(Figure.CONNECT_CPU_MS, ok == 0 ? Double.NaN : used.cpuMicros() / 1000.0 / ok);
		result.put(Figure.CLIENT_CPU_PERCENT, 100.0 * clientUsed.cpuMicros() / (elapsed / 1000.0));
		result.put(Figure.HEAP_BEFORE_MB, before.heapMb());
		result.put(Figure.HEAP_AFTER_MB, after.heapMb());
		result.put(Figure.THREADS_BEFORE, before.threads());
		result.put(Figure.THREADS_AFTER, after.threads());
		result.put(Figure.FDS_BEFORE, before.fds());
		result.put(Figure.FDS_AFTER, after.fds());
		result.put(Figure.DIRECT_BEFORE_MB, before.directMb());
		result.put(Figure.DIRECT_AFTER_MB, after.directMb());
		ScenarioRunner.report(cohort, scenario.cycles() - ok, 0);
	}

}
