package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Looks inside a running Herald: heap used after a full collection (jcmd), threads and open file
 * descriptors (/proc), direct buffer memory and its own meters (its /actuator/prometheus, with
 * the admin token it logged at start), and OutOfMemoryErrors in its log.
 */
final class HeraldProbe {

	private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

	private static final Pattern DIRECT = Pattern
		.compile("^jvm_buffer_memory_used_bytes\\{[^}]*id=\"direct\"[^}]*\\} (\\S+)", Pattern.MULTILINE);

	private final LoadClient client;

	private final Target target;

	HeraldProbe(LoadClient client, Target target) {
		this.client = client;
		this.target = target;
	}

	/** One look: heap after GC (MB), threads, descriptors, direct buffers (MB; NaN if unreadable). */
	record Snapshot(double heapMb, int threads, int fds, double directMb) {

	}

	Snapshot snapshot() {
		long pid = this.target.server().pid();
		double direct;
		try {
			direct = directBytes(prometheus()) / (1024.0 * 1024.0);
		}
		catch (RuntimeException ex) {
			System.err.println("    " + this.target.name() + ": no direct memory figure: " + ex.getMessage());
			direct = Double.NaN;
		}
		return new Snapshot(heapAfterGcMb(pid), ProcStats.sample(List.of(pid)).threads(), openFiles(pid), direct);
	}

	/** Heap used after {@code jcmd GC.run}, summed over the generations GC.heap_info lists (MB). */
	static double heapAfterGcMb(long pid) {
		jcmd(pid, "GC.run");
		return heapUsedMb(pid);
	}

	/** Heap used now (no collection first), summed over the generations GC.heap_info lists (MB). */
	static double heapUsedMb(long pid) {
		double kb = 0;
		for (String line : jcmd(pid, "GC.heap_info")) {
			if (line.contains("Metaspace") || line.contains("class space")) {
				continue;
			}
			Matcher used = USED.matcher(line);
			if (used.find()) {
				long value = Long.parseLong(used.group(1));
				kb += switch (used.group(2)) {
					case "G" -> value * 1024 * 1024;
					case "M" -> value * 1024;
					default -> value;
				};
			}
		}
		return kb / 1024.0;
	}

	static int openFiles(long pid) {
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return (int) fds.count();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** Herald's Prometheus scrape, with the admin token it logged (none when security is off). */
	String prometheus() {
		return this.client.get(this.target.webPort(), this.target.tls(), "/actuator/prometheus", adminToken());
	}

	/** Lines of a scrape that are samples of Herald's own meters. */
	static long heraldSamples(String scrape) {
		return scrape.lines().filter((l) -> l.startsWith("herald_")).count();
	}

	static double directBytes(String scrape) {
		Matcher direct = DIRECT.matcher(scrape);
		if (!direct.find()) {
			throw new IllegalStateException("no jvm_buffer_memory_used_bytes{id=\"direct\"} in the scrape");
		}
		return Double.parseDouble(direct.group(1));
	}

	int outOfMemoryErrors() {
		return this.target.server().logLines("OutOfMemoryError").size();
	}

	/** The admin token Herald logs once per start, or null if it logged none (security off). */
	private String adminToken() {
		List<String> lines = this.target.server().logLines("Admin token (rights #");
		if (lines.isEmpty()) {
			return null;
		}
		String line = lines.get(lines.size() - 1);
		return line.substring(line.lastIndexOf(' ') + 1).trim();
	}

	/**
	 * The jcmd beside the java that runs this process (another JDK's jcmd may fail to attach),
	 * else the one on the PATH.
	 */
	static String jcmdFor(long pid) {
		try {
			Path beside = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).resolveSibling("jcmd");
			return Files.isExecutable(beside) ? beside.toString() : "jcmd";
		}
		catch (IOException ex) {
			return "jcmd";
		}
	}

	static List<String> jcmd(long pid, String... command) {
		List<String> args = new ArrayList<>(List.of(jcmdFor(pid), Long.toString(pid)));
		args.addAll(List.of(command));
		try {
			Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
			List<String> lines = new String(jcmd.getInputStream().readAllBytes()).lines().toList();
			if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
				jcmd.destroyForcibly();
			}
			return lines;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Failed to run " + args, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
