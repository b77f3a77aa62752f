package io.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark driver: starts every target, runs the scenarios against each in alternating
 * order for several rounds, stops what it started and prints medians, ratios and goals.
 */
public final class Bench {

	private final Options options;

	private final List<Result> results = new ArrayList<>();

	private final List<Double> loads = new ArrayList<>();

	private CpuProfile cpuProfile;

	private Bench(Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws IOException {
		Options options = Options.parse(args);
		Files.createDirectories(options.work());
		Files.createDirectories(options.out());
		new Bench(options).run();
	}

	private void run() throws IOException {
		long start = System.nanoTime();
		List<Scenario> scenarios = this.options.scenarios();
		System.out.println(Machine.describe(this.options));
		try (LoadClient client = new LoadClient(this.options.clientThreads())) {
			for (int round = 1; round <= this.options.rounds(); round++) {
				round(client, round, scenarios);
			}
		}
		Path csv = this.options.out().resolve("results.csv");
		List<String> lines = new ArrayList<>(List.of(Report.csvHeader()));
		this.results.forEach((r) -> lines.add(Report.csv(r)));
		Files.write(csv, lines);
		Report report = new Report(scenarios, this.options.targets(), this.results);
		double minutes = (System.nanoTime() - start) / 60e9;
		System.out.println("\n## Results: medians of " + this.options.rounds() + " rounds" + (this.options.quick()
				? " (QUICK SMOKE RUN: tiny counts, not a measurement)" : ""));
		System.out.println(report.render());
		System.out.println("\n## Goals (from the medians above)\n");
		System.out.println(report.goals());
		System.out.printf(Locale.ROOT, "%nRun took %.1f min; 1-minute load average at each scenario start: %s%n", minutes,
				loadSummary());
		System.out.println("Every round's figures: " + csv);
	}

	private void round(LoadClient client, int round, List<Scenario> scenarios) {
		Path directory = this.options.work().resolve("round-" + round);
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to create " + directory, ex);
		}
		System.err.printf("%s round %d/%d: starting %s%n", Instant.now(), round, this.options.rounds(),
				this.options.targets());
		try (Servers servers = new Servers(directory, this.options.heraldJar(), this.options.heraldJvmOptions(),
				this.options.heraldArguments())) {
			List<Target> targets = servers.start(this.options.targets());
			targets.forEach((target) -> checkMeters(client, target));
			ScenarioRunner runner = new ScenarioRunner(client, servers.brokerPort(), this::profile);
			for (Target target : targets) {
				for (Scenario warmUp : Scenario.warmUp(this.options.quick())) {
					runner.run(warmUp, target, round);
				}
				System.err.printf("  warmed up %s at %s%n", target.name(), target.uri());
			}
			List<Scenario> ordered = inOrder(scenarios, round);
			for (int s = 0; s < ordered.size(); s++) {
				Scenario scenario = ordered.get(s);
				for (Target target : rotate(targets, round - 1 + s)) {
					String skip = scenario.skipReason(target);
					if (skip != null) {
						System.err.printf("  %s  %-13s skipped: %s%n", scenario.key(), target.name(), skip);
						continue;
					}
					this.loads.add(Machine.loadAverage());
					servers.restartBroker();
					Result result = runner.run(scenario, target, round);
					this.results.add(result);
					System.err.printf("  %s  %-13s %s%n", scenario.key(), target.name(), brief(result));
				}
			}
			this.results.stream()
				.filter((result) -> result.round() == round && "s".equals(result.scenario()))
				.forEach(this::compareWithA);
		}
	}

	/**
	 * The scenarios of one round: as given, except that (s) runs before (a) in every other
	 * round, so that neither gains from running second (a warmer JIT, a settled heap).
	 */
	private static List<Scenario> inOrder(List<Scenario> scenarios, int round) {
		List<String> keys = scenarios.stream().map(Scenario::key).toList();
		int a = keys.indexOf("a");
		int stalled = keys.indexOf("s");
		if (a < 0 || stalled < 0 || round % 2 == 1) {
			return scenarios;
		}
		List<Scenario> swapped = new ArrayList<>(scenarios);
		Collections.swap(swapped, a, stalled);
		return swapped;
	}

	/** (s) against (a) of the same round and target: both p99s and their ratio. */
	private void compareWithA(Result stalled) {
		this.results.stream()
			.filter((r) -> "a".equals(r.scenario()) && r.target().equals(stalled.target())
					&& r.round() == stalled.round())
			.findFirst()
			.ifPresent((a) -> {
				stalled.put(Figure.P99_IN_A_MS, a.get(Figure.P99_MS));
				stalled.put(Figure.P99_RATIO_TO_A, stalled.get(Figure.P99_MS) / a.get(Figure.P99_MS));
			});
	}

	/**
	 * How many samples of Herald's own meters a Herald target's /actuator/prometheus holds: none
	 * with {@code management.metrics.enable.herald=false}, which its target must show.
	 */
	private static void checkMeters(LoadClient client, Target target) {
		if (!target.isHerald()) {
			return;
		}
		HeraldProbe probe = new HeraldProbe(client, target);
		String scrape = null;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (scrape == null) {
			try {
				scrape = probe.prometheus();
			}
			catch (RuntimeException ex) {
				// The admin token is logged once the web server is up, which may be just after its port opens.
				if (System.nanoTime() > deadline) {
					System.err.printf("  %s: /actuator/prometheus not readable: %s%n", target.name(), ex.getMessage());
					return;
				}
				ServerProcess.sleep(500);
			}
		}
		long samples = HeraldProbe.heraldSamples(scrape);
		System.err.printf("  %s: %d herald_ samples in /actuator/prometheus%n", target.name(), samples);
		if (Servers.HERALD_WSS_NOMETRICS.equals(target.name()) && samples > 0) {
			throw new IllegalStateException(target.name() + " still has Herald's meters: "
					+ "management.metrics.enable.herald=false was not honoured");
		}
	}

	/**
	 * In profile mode, Herald's heap histogram and native memory summary when idle and when loaded,
	 * a flight recording of the measured phase and its threads at the end of it.
	 */
	private void profile(ScenarioRunner.Phase phase, Scenario scenario, Target target) {
		if ("w".equals(scenario.key())) {
			return;
		}
		String name = target.name().replace(' ', '-') + "-" + scenario.key();
		if (this.options.perf() && phase == ScenarioRunner.Phase.MEASURE_START) {
			this.cpuProfile = CpuProfile.start(target, this.options.out(), name);
		}
		if (this.options.perf() && phase == ScenarioRunner.Phase.MEASURE_END && this.cpuProfile != null) {
			this.cpuProfile.stop();
			this.cpuProfile = null;
		}
		if (!this.options.profile() || !target.isHerald()) {
			return;
		}
		String jfr = this.options.out().resolve(name + ".jfr").toString();
		switch (phase) {
			case IDLE, LOADED -> {
				String label = name + "-" + phase.name().toLowerCase(Locale.ROOT);
				jcmd(target, label + "-histogram.txt", "GC.class_histogram");
				jcmd(target, label + "-native-memory.txt", "VM.native_memory", "summary");
			}
			case MEASURE_START -> jcmd(target, null, "JFR.start", "name=bench", "settings=profile");
			case MEASURE_END -> {
				jcmd(target, name + "-threads.txt", "Thread.print");
				jcmd(target, null, "JFR.dump", "name=bench", "filename=" + jfr);
				jcmd(target, null, "JFR.stop", "name=bench");
			}
		}
	}

	private void jcmd(Target target, String file, String... command) {
		long pid = target.server().pid();
		List<String> args = new ArrayList<>(List.of(HeraldProbe.jcmdFor(pid), Long.toString(pid)));
		args.addAll(List.of(command));
		Path output = this.options.out().resolve(file != null ? file : "jcmd.log");
		try {
			Process jcmd = new ProcessBuilder(args).redirectErrorStream(true)
				.redirectOutput(file != null ? ProcessBuilder.Redirect.to(output.toFile())
						: ProcessBuilder.Redirect.appendTo(output.toFile()))
				.start();
			if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
				jcmd.destroyForcibly();
			}
		}
		catch (IOException ex) {
			System.err.println("  jcmd failed: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static <T> List<T> rotate(List<T> list, int by) {
		List<T> rotated = new ArrayList<>(list);
		java.util.Collections.rotate(rotated, -(by % Math.max(1, list.size())));
		return rotated;
	}

	private static String brief(Result result) {
		StringBuilder text = new StringBuilder();
		for (Figure figure : List.of(Figure.CONNECTED, Figure.CONNECT_SECONDS, Figure.DELIVERED, Figure.LOST,
				Figure.DELIVERIES_PER_SECOND, Figure.P50_MS, Figure.P99_MS, Figure.CPU_US_PER_DELIVERY,
				Figure.SERVER_USER_US_PER_DELIVERY, Figure.SERVER_SYSTEM_US_PER_DELIVERY, Figure.SERVER_RSS_KB_PER_CONNECTION, Figure.SERVER_THREADS_MAX, Figure.CONNECTS_PER_SECOND,
				Figure.CONNECT_P99_MS, Figure.CONNECT_CPU_MS, Figure.CLIENT_CPU_PERCENT, Figure.FAILED,
				Figure.STALLED_OPEN, Figure.P99_IN_A_MS, Figure.P99_RATIO_TO_A, Figure.HEAP_BEFORE_MB,
				Figure.HEAP_AFTER_MB, Figure.HEAP_MB_PER_1000, Figure.THREADS_BEFORE, Figure.THREADS_AFTER,
				Figure.FDS_BEFORE, Figure.FDS_AFTER, Figure.DIRECT_BEFORE_MB, Figure.DIRECT_AFTER_MB,
				Figure.OUT_OF_MEMORY_ERRORS, Figure.SERVER_READS_PER_DELIVERY, Figure.SERVER_WRITES_PER_DELIVERY,
				Figure.SERVER_BYTES_PER_WRITE, Figure.SERVER_EPOLL_WAITS_PER_DELIVERY,
				Figure.SERVER_VOLUNTARY_SWITCHES_PER_DELIVERY, Figure.TLS_RECORDS_PER_DELIVERY,
				Figure.TLS_RECORDS_PER_SERVER_WRITE, Figure.ALLOCATED_BYTES_PER_DELIVERY,
				Figure.MICROMETER_ALLOCATED_BYTES_PER_DELIVERY, Figure.HEAP_GROWTH_BYTES_PER_DELIVERY)) {
			double value = result.get(figure);
			if (!Double.isNaN(value)) {
				text.append(figure.name().toLowerCase(Locale.ROOT)).append('=').append(figure.format(value)).append(' ');
			}
		}
		return text.toString();
	}

	private String loadSummary() {
		double[] values = this.loads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		if (values.length == 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "min %.2f, median %.2f, max %.2f", values[0], values[values.length / 2],
				values[values.length - 1]);
	}

	/** The command line. */
	record Options(boolean quick, int rounds, List<String> targets, List<Scenario> scenarios, Path heraldJar,
			Path work, Path out, boolean profile, boolean perf, List<String> heraldJvmOptions,
			List<String> heraldArguments, int clientThreads) {

		static Options parse(String[] args) {
			boolean quick = false;
			boolean profile = false;
			boolean perf = false;
			Integer rounds = null;
			List<String> targets = Servers.ALL;
			List<String> scenarioKeys = List.of("a", "b", "c", "d");
			Path jar = null;
			Path work = null;
			Path out = null;
			List<String> jvm = new ArrayList<>();
			List<String> heraldArguments = new ArrayList<>();
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--quick" -> quick = true;
					case "--profile" -> profile = true;
					case "--perf" -> perf = true;
					case "--rounds" -> rounds = Integer.parseInt(args[++i]);
					case "--targets" -> targets = targetNames(args[++i]);
					case "--scenarios" -> scenarioKeys = Arrays.asList(args[++i].split(","));
					case "--herald-jar" -> jar = Path.of(args[++i]);
					case "--work" -> work = Path.of(args[++i]);
					case "--out" -> out = Path.of(args[++i]);
					case "--herald-jvm" -> jvm.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
					case "--herald-args" -> heraldArguments.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
					default -> throw new IllegalArgumentException("Unknown option " + args[i]);
				}
			}
			if (perf && !CpuProfile.available()) {
				throw new IllegalArgumentException("--perf needs perf (Debian package linux-perf)");
			}
			if (jar == null || work == null || out == null) {
				throw new IllegalArgumentException("--herald-jar, --work and --out are required (run.sh sets them)");
			}
			jvm.removeIf(String::isEmpty);
			heraldArguments.removeIf(String::isEmpty);
			if (profile) {
				jvm.add("-XX:NativeMemoryTracking=summary");
			}
			List<String> keys = scenarioKeys;
			List<Scenario> scenarios = (quick ? Scenario.quick() : Scenario.full()).stream()
				.filter((s) -> keys.contains(s.key()))
				.toList();
			return new Options(quick, rounds != null ? rounds : (quick ? 1 : 3), targets, scenarios, jar, work, out,
					profile, perf, jvm, heraldArguments, 2);
		}

		private static List<String> targetNames(String list) {
			List<String> names = new ArrayList<>();
			for (String key : list.split(",")) {
				String name = Servers.ALL.stream()
					.filter((n) -> n.toLowerCase(Locale.ROOT).replace(' ', '-').equals(key.trim()))
					.findFirst()
					.orElseThrow(() -> new IllegalArgumentException("Unknown target " + key + "; known: "
							+ Servers.ALL.stream().map((n) -> n.toLowerCase(Locale.ROOT).replace(' ', '-')).toList()));
				names.add(name);
			}
			return names;
		}

	}

}
