package io.herald.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the rounds' results into Markdown tables of medians, Herald's ratio to each peer, and the
 * issue's goals checked against those medians.
 */
final class Report {

	private static final List<Figure> DELIVERY_RATIOS = List.of(Figure.CPU_US_PER_DELIVERY, Figure.P50_MS,
			Figure.P99_MS, Figure.DELIVERIES_PER_SECOND, Figure.CONNECT_CPU_MS, Figure.SERVER_RSS_KB_PER_CONNECTION,
			Figure.SERVER_THREADS_MAX, Figure.SERVER_USER_US_PER_DELIVERY, Figure.SERVER_SYSTEM_US_PER_DELIVERY,
			Figure.SERVER_READS_PER_DELIVERY, Figure.SERVER_WRITES_PER_DELIVERY,
			Figure.SERVER_EPOLL_WAITS_PER_DELIVERY, Figure.SERVER_VOLUNTARY_SWITCHES_PER_DELIVERY,
			Figure.TLS_RECORDS_PER_DELIVERY);

	private static final List<Figure> CHURN_RATIOS = List.of(Figure.CONNECT_CPU_MS, Figure.CONNECT_P50_MS,
			Figure.CONNECT_P99_MS, Figure.CONNECTS_PER_SECOND, Figure.SERVER_USER_US_PER_DELIVERY,
			Figure.SERVER_SYSTEM_US_PER_DELIVERY, Figure.SERVER_READS_PER_DELIVERY,
			Figure.SERVER_WRITES_PER_DELIVERY, Figure.SERVER_EPOLL_WAITS_PER_DELIVERY, Figure.TLS_RECORDS_PER_DELIVERY);

	/** Headings of the system call, TLS record and allocation columns, per delivery or per visit. */
	private static List<String> syscallHeadings(String per) {
		return List.of("server user / kernel CPU per " + per + " (µs)", "reads / writes per " + per, "bytes per write", "epoll waits / vol. switches per " + per,
				"TLS records per " + per + " (per write)", "allocated per " + per + " (B)");
	}

	private static List<String> syscallCells(Map<Figure, Double> m) {
		// Without perf, the reads and writes /proc/<pid>/io counts (read and write, not recv* and send*).
		String calls = Double.isNaN(m.get(Figure.SERVER_WRITES_PER_DELIVERY))
				? f(m, Figure.VFS_READS_PER_DELIVERY) + " / " + f(m, Figure.VFS_WRITES_PER_DELIVERY) + " (io)"
				: f(m, Figure.SERVER_READS_PER_DELIVERY) + " / " + f(m, Figure.SERVER_WRITES_PER_DELIVERY);
		return List.of(f(m, Figure.SERVER_USER_US_PER_DELIVERY) + " / " + f(m, Figure.SERVER_SYSTEM_US_PER_DELIVERY), calls,
				f(m, Figure.SERVER_BYTES_PER_WRITE),
				f(m, Figure.SERVER_EPOLL_WAITS_PER_DELIVERY) + " / " + f(m, Figure.SERVER_VOLUNTARY_SWITCHES_PER_DELIVERY),
				f(m, Figure.TLS_RECORDS_PER_DELIVERY) + " (" + f(m, Figure.TLS_RECORDS_PER_SERVER_WRITE) + ")",
				f(m, Figure.ALLOCATED_BYTES_PER_DELIVERY));
	}

	private static <T> List<T> concat(List<T> first, List<T> second) {
		List<T> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private final List<Scenario> scenarios;

	private final List<String> targets;

	private final List<Result> results;

	Report(List<Scenario> scenarios, List<String> targets, List<Result> results) {
		this.scenarios = scenarios;
		this.targets = targets;
		this.results = results;
	}

	/** Median of one figure over the rounds (NaN where it was not measured). */
	double median(String scenario, String target, Figure figure) {
		double[] values = this.results.stream()
			.filter((r) -> r.scenario().equals(scenario) && r.target().equals(target))
			.mapToDouble((r) -> r.get(figure))
			.filter((v) -> !Double.isNaN(v))
			.sorted()
			.toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		int middle = values.length / 2;
		return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	String render() {
		StringBuilder out = new StringBuilder();
		for (Scenario scenario : this.scenarios) {
			out.append("\n### ").append(scenario.title()).append("\n\n");
			Map<String, Map<Figure, Double>> medians = new java.util.LinkedHashMap<>();
			List<String> notRun = new ArrayList<>();
			for (String target : this.targets) {
				if (this.results.stream().noneMatch((r) -> r.scenario().equals(scenario.key()) && r.target().equals(target))) {
					notRun.add(target);
					continue;
				}
				Map<Figure, Double> figures = new EnumMap<>(Figure.class);
				for (Figure figure : Figure.values()) {
					figures.put(figure, median(scenario.key(), target, figure));
				}
				medians.put(target, figures);
			}
			if (scenario.soak()) {
				soak(out, medians);
			}
			else if (scenario.churn()) {
				churn(out, medians);
			}
			else if (scenario.stalled() > 0) {
				stalled(out, medians);
			}
			else {
				deliveries(out, medians);
				if (scenario.heap()) {
					heap(out, medians);
				}
			}
			if (!notRun.isEmpty()) {
				out.append("\nNot run in this scenario: ").append(String.join(", ", notRun))
					.append(scenario.soak() ? " (the soak looks inside Herald's WebSocket targets only)."
							: " (event streams are measured in (a) only).")
					.append('\n');
			}
		}
		return out.toString();
	}

	private static void deliveries(StringBuilder out, Map<String, Map<Figure, Double>> medians) {
		table(out, medians, concat(List.of("connected", "connect all (s)", "CPU per connect (ms)",
				"delivered / expected (lost)", "deliveries/s", "p50 / p99 / max (ms)", "CPU per delivery (µs)",
				"RSS per conn. (KB)", "RSS per conn. with broker (KB)", "threads idle → max", "client CPU (%)"),
				syscallHeadings("delivery")),
				(m) -> concat(List.of(f(m, Figure.CONNECTED) + " / " + f(m, Figure.ATTEMPTED), f(m, Figure.CONNECT_SECONDS),
						f(m, Figure.CONNECT_CPU_MS),
						f(m, Figure.DELIVERED) + " / " + f(m, Figure.EXPECTED) + " (" + f(m, Figure.LOST) + ")",
						f(m, Figure.DELIVERIES_PER_SECOND),
						f(m, Figure.P50_MS) + " / " + f(m, Figure.P99_MS) + " / " + f(m, Figure.MAX_MS),
						f(m, Figure.CPU_US_PER_DELIVERY), f(m, Figure.SERVER_RSS_KB_PER_CONNECTION),
						f(m, Figure.ALL_RSS_KB_PER_CONNECTION),
						f(m, Figure.SERVER_THREADS_IDLE) + " → " + f(m, Figure.SERVER_THREADS_MAX),
						f(m, Figure.CLIENT_CPU_PERCENT)), syscallCells(m)));
		ratios(out, medians, DELIVERY_RATIOS);
	}

	/** Herald's heap after a full GC, idle and with every subscriber held, and errors in its log. */
	private static void heap(StringBuilder out, Map<String, Map<Figure, Double>> medians) {
		Map<String, Map<Figure, Double>> heralds = new java.util.LinkedHashMap<>(medians);
		heralds.keySet().removeIf((t) -> !t.startsWith("Herald"));
		if (heralds.isEmpty()) {
			return;
		}
		out.append("\nHerald's heap used after a full GC (jcmd GC.run, GC.heap_info):\n\n");
		table(out, heralds, List.of("connected", "heap idle (MB)", "heap all connected (MB)",
				"heap per 1,000 connections (MB)", "OutOfMemoryError lines in its log"),
				(m) -> List.of(f(m, Figure.CONNECTED), f(m, Figure.HEAP_BEFORE_MB), f(m, Figure.HEAP_AFTER_MB),
						f(m, Figure.HEAP_MB_PER_1000), f(m, Figure.OUT_OF_MEMORY_ERRORS)));
	}

	private static void churn(StringBuilder out, Map<String, Map<Figure, Double>> medians) {
		table(out, medians, concat(List.of("visits ok / planned", "connects/s", "connect p50 / p99 / max (ms)",
				"server CPU per visit (ms)", "threads idle → max", "server RSS growth (MB)", "client CPU (%)"),
				syscallHeadings("visit")),
				(m) -> concat(List.of(f(m, Figure.CONNECTED) + " / " + f(m, Figure.ATTEMPTED), f(m, Figure.CONNECTS_PER_SECOND),
						f(m, Figure.CONNECT_P50_MS) + " / " + f(m, Figure.CONNECT_P99_MS) + " / "
								+ f(m, Figure.CONNECT_MAX_MS),
						f(m, Figure.CONNECT_CPU_MS),
						f(m, Figure.SERVER_THREADS_IDLE) + " → " + f(m, Figure.SERVER_THREADS_MAX),
						f(m, Figure.SERVER_RSS_GROWTH_MB), f(m, Figure.CLIENT_CPU_PERCENT)), syscallCells(m)));
		ratios(out, medians, CHURN_RATIOS);
	}

	/** The subscribers beside the stalled one, and their p99 against (a)'s in the same round. */
	private static void stalled(StringBuilder out, Map<String, Map<Figure, Double>> medians) {
		table(out, medians, List.of("connected", "delivered / expected (lost)", "p50 / p99 / max (ms)",
				"p99 in (a), same round (ms)", "p99 ÷ (a)'s", "stalled still open", "CPU per delivery (µs)",
				"threads idle → max"),
				(m) -> List.of(f(m, Figure.CONNECTED) + " / " + f(m, Figure.ATTEMPTED),
						f(m, Figure.DELIVERED) + " / " + f(m, Figure.EXPECTED) + " (" + f(m, Figure.LOST) + ")",
						f(m, Figure.P50_MS) + " / " + f(m, Figure.P99_MS) + " / " + f(m, Figure.MAX_MS),
						f(m, Figure.P99_IN_A_MS), times(m, Figure.P99_RATIO_TO_A), f(m, Figure.STALLED_OPEN),
						f(m, Figure.CPU_US_PER_DELIVERY),
						f(m, Figure.SERVER_THREADS_IDLE) + " → " + f(m, Figure.SERVER_THREADS_MAX)));
		out.append("\nFigures of the other subscribers only; the ratio is the median of each round's (s) p99 ÷ (a) p99 "
				+ "(\"-\" where (a) did not run in the same round).\n");
	}

	/** Before (after warm-up) and after the visits, with the difference. */
	private static void soak(StringBuilder out, Map<String, Map<Figure, Double>> medians) {
		table(out, medians, List.of("visits ok / planned (failed)", "visits/s", "connect p50 / p99 (ms)",
				"heap after GC (MB)", "threads", "open descriptors", "direct buffers (MB)", "OutOfMemoryError lines"),
				(m) -> List.of(f(m, Figure.CONNECTED) + " / " + f(m, Figure.ATTEMPTED) + " (" + f(m, Figure.FAILED) + ")",
						f(m, Figure.CONNECTS_PER_SECOND), f(m, Figure.CONNECT_P50_MS) + " / " + f(m, Figure.CONNECT_P99_MS),
						change(m, Figure.HEAP_BEFORE_MB, Figure.HEAP_AFTER_MB),
						change(m, Figure.THREADS_BEFORE, Figure.THREADS_AFTER),
						change(m, Figure.FDS_BEFORE, Figure.FDS_AFTER),
						change(m, Figure.DIRECT_BEFORE_MB, Figure.DIRECT_AFTER_MB), f(m, Figure.OUT_OF_MEMORY_ERRORS)));
		out.append("\nbefore → after (difference). Heap: jcmd GC.run then GC.heap_info. Threads: /proc/<pid>/status. "
				+ "Descriptors: entries of /proc/<pid>/fd. Direct buffers: the JVM's direct buffer pool, "
				+ "jvm_buffer_memory_used_bytes{id=\"direct\"} of Herald's /actuator/prometheus (Netty's pooled "
				+ "buffers are counted there when Netty allocates them with ByteBuffer.allocateDirect, as it does on "
				+ "JDK 17 without --add-opens; buffers Netty allocated itself would not show).\n");
	}

	private static String times(Map<Figure, Double> medians, Figure figure) {
		return Double.isNaN(medians.get(figure)) ? "-" : f(medians, figure) + "x";
	}

	private static String change(Map<Figure, Double> medians, Figure before, Figure after) {
		double difference = medians.get(after) - medians.get(before);
		return f(medians, before) + " → " + f(medians, after) + " ("
				+ (difference >= 0 ? "+" : "") + before.format(difference) + ")";
	}

	private static void table(StringBuilder out, Map<String, Map<Figure, Double>> medians, List<String> headings,
			Function<Map<Figure, Double>, List<String>> row) {
		out.append("| target | ").append(String.join(" | ", headings)).append(" |\n");
		out.append("|---").append("|---:".repeat(headings.size())).append("|\n");
		medians.forEach((target, figures) -> out.append("| ")
			.append(target)
			.append(" | ")
			.append(String.join(" | ", row.apply(figures)))
			.append(" |\n"));
	}

	private static void ratios(StringBuilder out, Map<String, Map<Figure, Double>> medians, List<Figure> figures) {
		List<String> heralds = medians.keySet().stream().filter((t) -> t.startsWith("Herald")).toList();
		List<String> peers = medians.keySet().stream().filter((t) -> !t.startsWith("Herald")).toList();
		if (heralds.isEmpty() || peers.isEmpty()) {
			return;
		}
		out.append("\n| ratio | ")
			.append(String.join(" | ", figures.stream().map(Figure::heading).toList()))
			.append(" |\n");
		out.append("|---").append("|---:".repeat(figures.size())).append("|\n");
		for (String herald : heralds) {
			for (String peer : peers) {
				List<String> cells = new ArrayList<>();
				for (Figure figure : figures) {
					double ratio = medians.get(herald).get(figure) / medians.get(peer).get(figure);
					cells.add(Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-"
							: String.format(java.util.Locale.ROOT, "%.2fx", ratio));
				}
				out.append("| ").append(herald).append(" ÷ ").append(peer).append(" | ")
					.append(String.join(" | ", cells)).append(" |\n");
			}
		}
	}

	private static String f(Map<Figure, Double> medians, Figure figure) {
		return figure.format(medians.get(figure));
	}

	/** The goals, each with the medians it is judged on. */
	String goals() {
		List<String> lines = new ArrayList<>();
		goal(lines, "a", Servers.HERALD_WSS, Servers.LIGHTTPD_WSS, Figure.CPU_US_PER_DELIVERY, 0.9);
		goal(lines, "a", Servers.HERALD_WSS, Servers.LIGHTTPD_WSS, Figure.P99_MS, 1.0);
		goal(lines, "a", Servers.HERALD_WS, Servers.MOSQUITTO_WS, Figure.CPU_US_PER_DELIVERY, 1.5);
		// The web server's /mqtt, for one-port deployments: (a) within 1.2x of lighttpd, ≤ 64 KB per connection.
		goal(lines, "a", Servers.HERALD_WEB_WSS, Servers.LIGHTTPD_WSS, Figure.CPU_US_PER_DELIVERY, 1.2);
		double webRss = median("a", Servers.HERALD_WEB_WSS, Figure.SERVER_RSS_KB_PER_CONNECTION);
		if (!Double.isNaN(webRss)) {
			lines.add(verdict(webRss <= 64) + " (a) " + Servers.HERALD_WEB_WSS + " "
					+ Figure.SERVER_RSS_KB_PER_CONNECTION.format(webRss) + " KB RSS per connection (goal ≤ 64 KB)");
		}
		for (String herald : List.of(Servers.HERALD_WSS, Servers.HERALD_WS, Servers.HERALD_WEB_WSS,
				Servers.HERALD_WSS_OPEN, Servers.HERALD_SSE, Servers.HERALD_WSS_NOMETRICS)) {
			double lost = median("a", herald, Figure.LOST);
			if (!Double.isNaN(lost)) {
				lines.add(verdict(lost == 0) + " (a) " + herald + " lost " + Figure.LOST.format(lost) + " (goal 0)");
			}
			double connected = median("b", herald, Figure.CONNECTED);
			double rss = median("b", herald, Figure.SERVER_RSS_KB_PER_CONNECTION);
			if (!Double.isNaN(rss)) {
				lines.add(verdict(rss <= 32 && connected >= 9000) + " (b) " + herald + " held "
						+ Figure.CONNECTED.format(connected) + " with " + Figure.SERVER_RSS_KB_PER_CONNECTION.format(rss)
						+ " KB RSS per connection (goal 9000 with ≤ 32 KB)");
			}
			double idle = median("b", herald, Figure.SERVER_THREADS_IDLE);
			double threadsA = median("a", herald, Figure.SERVER_THREADS_MAX);
			double threadsB = median("b", herald, Figure.SERVER_THREADS_MAX);
			if (!Double.isNaN(threadsA) && !Double.isNaN(threadsB)) {
				lines.add(verdict(threadsB <= threadsA + 5) + " (b) " + herald + " threads: "
						+ Figure.SERVER_THREADS_IDLE.format(idle) + " idle, at most "
						+ Figure.SERVER_THREADS_MAX.format(threadsA) + " with 1,000 connections (a), "
						+ Figure.SERVER_THREADS_MAX.format(threadsB)
						+ " with 9,000 (b) (goal: no growth with connections; growth under load shows too)");
			}
		}
		goal(lines, "c", Servers.HERALD_WSS, Servers.LIGHTTPD_WSS, Figure.DELIVERIES_PER_SECOND, -1.0);
		goal(lines, "d", Servers.HERALD_WSS, Servers.LIGHTTPD_WSS, Figure.CONNECT_CPU_MS, 1.0);
		goal(lines, "c", Servers.HERALD_WEB_WSS, Servers.LIGHTTPD_WSS, Figure.DELIVERIES_PER_SECOND, -0.9);
		// The security gate must not cost the push path: within 5 % of Herald with it off.
		goal(lines, "a", Servers.HERALD_WSS, Servers.HERALD_WSS_OPEN, Figure.CPU_US_PER_DELIVERY, 1.05);
		goal(lines, "c", Servers.HERALD_WSS, Servers.HERALD_WSS_OPEN, Figure.CPU_US_PER_DELIVERY, 1.05);
		// Herald's own meters must not cost the relay path measurably: within 5 % of Herald without them.
		goal(lines, "a", Servers.HERALD_WSS, Servers.HERALD_WSS_NOMETRICS, Figure.CPU_US_PER_DELIVERY, 1.05);
		for (String target : this.targets) {
			double lost = median("s", target, Figure.LOST);
			if (!Double.isNaN(lost)) {
				lines.add(verdict(lost == 0) + " (s) " + target + ": the others lost " + Figure.LOST.format(lost)
						+ " beside a stalled subscriber, p99 " + Figure.P99_MS.format(median("s", target, Figure.P99_MS))
						+ " ms vs " + Figure.P99_MS.format(median("s", target, Figure.P99_IN_A_MS)) + " ms in (a), "
						+ Figure.P99_RATIO_TO_A.format(median("s", target, Figure.P99_RATIO_TO_A))
						+ "x (goal: 0 lost)");
			}
		}
		alternative(lines);
		return String.join("\n", lines);
	}

	/**
	 * Herald wss alt against Herald wss: the ratio of the CPU figure each scenario is judged on,
	 * its median and every round's own (a change is kept only if it wins by 5 % in every round).
	 */
	private void alternative(List<String> lines) {
		for (Scenario scenario : this.scenarios) {
			Figure figure = scenario.churn() ? Figure.CONNECT_CPU_MS : Figure.CPU_US_PER_DELIVERY;
			double alt = median(scenario.key(), Servers.HERALD_WSS_ALT, figure);
			double base = median(scenario.key(), Servers.HERALD_WSS, figure);
			if (Double.isNaN(alt) || Double.isNaN(base)) {
				continue;
			}
			List<String> rounds = new ArrayList<>();
			for (Result mine : this.results) {
				if (mine.scenario().equals(scenario.key()) && mine.target().equals(Servers.HERALD_WSS_ALT)) {
					this.results.stream()
						.filter((r) -> r.scenario().equals(scenario.key()) && r.target().equals(Servers.HERALD_WSS)
								&& r.round() == mine.round())
						.findFirst()
						.ifPresent((theirs) -> rounds.add(String.format(java.util.Locale.ROOT, "%.2fx",
								mine.get(figure) / theirs.get(figure))));
				}
			}
			lines.add(String.format(java.util.Locale.ROOT, "- A/B:     (%s) %s %s %s vs %s %s: %.2fx (rounds: %s)",
					scenario.key(), figure.heading(), Servers.HERALD_WSS_ALT, figure.format(alt), Servers.HERALD_WSS,
					figure.format(base), alt / base, String.join(", ", rounds)));
		}
	}

	/** A positive limit means at most {@code limit} times the peer; a negative one at least. */
	private void goal(List<String> lines, String scenario, String herald, String peer, Figure figure, double limit) {
		double mine = median(scenario, herald, figure);
		double theirs = median(scenario, peer, figure);
		if (Double.isNaN(mine) || Double.isNaN(theirs)) {
			return;
		}
		double ratio = mine / theirs;
		boolean met = limit > 0 ? ratio <= limit : ratio >= -limit;
		lines.add(String.format(java.util.Locale.ROOT, "%s (%s) %s %s %s vs %s %s: %.2fx (goal %s %.2fx)", verdict(met),
				scenario, figure.heading(), herald, figure.format(mine), peer, figure.format(theirs), ratio,
				limit > 0 ? "≤" : "≥", Math.abs(limit)));
	}

	private static String verdict(boolean met) {
		return met ? "- MET:    " : "- NOT MET:";
	}

	static String csvHeader() {
		return "scenario,target,round," + String.join(",", Arrays.stream(Figure.values()).map(Enum::name).toList());
	}

	static String csv(Result result) {
		List<String> cells = new ArrayList<>(List.of(result.scenario(), result.target(), Integer.toString(result.round())));
		for (Figure figure : Figure.values()) {
			double value = result.get(figure);
			cells.add(Double.isNaN(value) ? "" : String.format(java.util.Locale.ROOT, "%.3f", value));
		}
		return String.join(",", cells);
	}

}
