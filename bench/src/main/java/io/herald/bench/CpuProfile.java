package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a WebSocket server spends its CPU during the measured phase, the same way for every
 * target: {@code perf record -e cpu-clock} samples of its process, summed by library (the kernel,
 * the JVM, JIT-compiled Java, libcrypto, ...), by thread name and by symbol. For a JVM, {@code jcmd
 * Compiler.perfmap} names the JIT-compiled methods first. Only the text summaries are kept.
 */
final class CpuProfile {

	/** Samples per second and thread: an odd rate, so that it does not beat with timers. */
	private static final int FREQUENCY = 499;

	private static final int SYMBOLS = 60;

	private final Target target;

	private final Path data;

	private final Path out;

	private final String name;

	private final Process perf;

	private CpuProfile(Target target, Path out, String name, Process perf, Path data) {
		this.target = target;
		this.out = out;
		this.name = name;
		this.perf = perf;
		this.data = data;
	}

	static boolean available() {
		try {
			Process probe = new ProcessBuilder("perf", "--version").redirectErrorStream(true).start();
			probe.getInputStream().readAllBytes();
			return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Start sampling the target's WebSocket server; results go to {@code out/<name>-perf-*.txt}. */
	static CpuProfile start(Target target, Path out, String name) {
		Path data = out.resolve(name + ".perf.data");
		long pid = target.server().pid();
		try {
			Process perf = new ProcessBuilder("perf", "record", "-q", "-e", "cpu-clock", "-F",
					Integer.toString(FREQUENCY), "-p", Long.toString(pid), "-o", data.toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve("perf.log").toFile()))
				.start();
			return new CpuProfile(target, out, name, perf, data);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Failed to start perf record", ex);
		}
	}

	/** Stop sampling and write the summaries by library, by thread and by symbol. */
	void stop() {
		long pid = this.target.server().pid();
		try {
			ServerProcess.interrupt(this.perf, Duration.ofSeconds(60));
		}
		catch (IOException ex) {
			System.err.println("  could not stop perf record: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		Path map = Path.of("/tmp", "perf-" + pid + ".map");
		if (this.target.isHerald()) {
			// Names for the JIT-compiled code, read by perf report from /tmp/perf-<pid>.map.
			HeraldProbe.jcmd(pid, "Compiler.perfmap");
		}
		try {
			report("dso", this.out.resolve(this.name + "-perf-by-library.txt"));
			// By thread name: for a JVM, its event loops apart from its JIT compiler and GC threads.
			report("comm", this.out.resolve(this.name + "-perf-by-thread.txt"));
			report("dso,sym", this.out.resolve(this.name + "-perf-by-symbol.txt"));
		}
		finally {
			try {
				Files.deleteIfExists(this.data);
				if (this.target.isHerald()) {
					Files.deleteIfExists(map);
				}
			}
			catch (IOException ex) {
				System.err.println("  could not delete " + this.data + ": " + ex.getMessage());
			}
		}
	}

	private void report(String sort, Path file) {
		List<String> command = new ArrayList<>(List.of("perf", "report", "--stdio", "--no-children", "--sort", sort,
				"-i", this.data.toString()));
		List<String> lines = run(command);
		// The header and the first lines (the hottest) are what a reader needs.
		List<String> kept = lines.stream().filter((line) -> !line.isBlank()).limit(SYMBOLS + 12).toList();
		try {
			Files.write(file, kept);
		}
		catch (IOException ex) {
			System.err.println("  could not write " + file + ": " + ex.getMessage());
		}
	}

	private static List<String> run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
			List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			return lines;
		}
		catch (IOException ex) {
			System.err.println("  " + command.get(0) + " failed: " + ex.getMessage());
			return List.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
	}

}
