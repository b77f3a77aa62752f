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
			Figure.SERVER_THREADS_MAX);

	private static final List<Figure> CHURN_RATIOS = List.of(Figure.CONNECT_CPU_MS, Figure.CONNECT_P50_MS,
			Figure.CONNECT_P99_MS, Figure.CONNECTS_PER_SECOND);

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
			for (String target : this.targets) {
				Map<Figure, Double> figures = new EnumMap<>(Figure.class);
				for (Figure figure : Figure.values()) {
					figures.put(figure, median(scenario.key(), target, figure));
				}
				medians.put(target, figures);
			}
			if (scenario.churn()) {
				table(out, medians, List.of("visits ok / planned", "connects/s", "connect p50 / p99 / max (ms)",
						"server CPU per visit (ms)", "threads idle → max", "server RSS growth (MB)", "client CPU (%)"),
						(m) -> List.of(f(m, Figure.CONNECTED) + " / " + f(m, Figure.ATTEMPTED),
								f(m, Figure.CONNECTS_PER_SECOND),
								f(m, Figure.CONNECT_P50_MS) + " / " + f(m, Figure.CONNECT_P99_MS) + " / "
										+ f(m, Figure.CONNECT_MAX_MS),
								f(m, Figure.CONNECT_CPU_MS), f(m, Figure.SERVER_THREADS_IDLE) + " → "
										+ f(m, Figure.SERVER_THREADS_MAX),
								f(m, Figure.SERVER_RSS_GROWTH_MB), f(m, Figure.CLIENT_CPU_PERCENT)));
				ratios(out, medians, CHURN_RATIOS);
			}
			else {
				table(out, medians, List.of("connected", "connect all (s)", "CPU per connect (ms)",
						"delivered / expected (lost)", "deliveries/s", "p50 / p99 / max (ms)", "CPU per delivery (µs)",
						"RSS per conn. (KB)", "RSS per conn. with broker (KB)", "threads idle → max", "client CPU (%)"),
						(m) -> List.of(f(m, Figure.CONNECTED) + " / " + f(m, Figure.ATTEMPTED),
								f(m, Figure.CONNECT_SECONDS), f(m, Figure.CONNECT_CPU_MS),
								f(m, Figure.DELIVERED) + " / " + f(m, Figure.EXPECTED) + " (" + f(m, Figure.LOST) + ")",
								f(m, Figure.DELIVERIES_PER_SECOND),
								f(m, Figure.P50_MS) + " / " + f(m, Figure.P99_MS) + " / " + f(m, Figure.MAX_MS),
								f(m, Figure.CPU_US_PER_DELIVERY), f(m, Figure.SERVER_RSS_KB_PER_CONNECTION),
								f(m, Figure.ALL_RSS_KB_PER_CONNECTION),
								f(m, Figure.SERVER_THREADS_IDLE) + " → " + f(m, Figure.SERVER_THREADS_MAX),
								f(m, Figure.CLIENT_CPU_PERCENT)));
				ratios(out, medians, DELIVERY_RATIOS);
			}
		}
		return out.toString();
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
		goal(lines, "a", Servers.HERALD_WEB_WSS, Servers.LIGHTTPD_WSS, Figure.CPU_US_PER_DELIVERY, 0.9);
		for (String herald : List.of(Servers.HERALD_WSS, Servers.HERALD_WS, Servers.HERALD_WEB_WSS,
				Servers.HERALD_WSS_OPEN)) {
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
		goal(lines, "c", Servers.HERALD_WSS, Servers.LIGHTTPD_WSS, Figure.DELIVERIES_PER_SECOND, -0.9);
		goal(lines, "c", Servers.HERALD_WEB_WSS, Servers.LIGHTTPD_WSS, Figure.DELIVERIES_PER_SECOND, -0.9);
		// The security gate must not cost the push path: within 5 % of Herald with it off.
		goal(lines, "a", Servers.HERALD_WSS, Servers.HERALD_WSS_OPEN, Figure.CPU_US_PER_DELIVERY, 1.05);
		goal(lines, "c", Servers.HERALD_WSS, Servers.HERALD_WSS_OPEN, Figure.CPU_US_PER_DELIVERY, 1.05);
		return String.join("\n", lines);
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
