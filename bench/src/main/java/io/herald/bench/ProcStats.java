package io.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads CPU time, resident memory and thread count of processes (and their children) from /proc.
 */
final class ProcStats {

	/** Clock ticks per second of the utime/stime fields; run.sh passes {@code getconf CLK_TCK}. */
	private static final long CLOCK_TICKS = Long.getLong("bench.clockTicks", 100);

	private ProcStats() {
	}

	/**
	 * One reading of a set of processes: CPU in microseconds (user + system, and user alone), RSS in
	 * KB, threads.
	 */
	record Sample(long cpuMicros, long rssKb, int threads, long userMicros) {

		Sample minus(Sample earlier) {
			return new Sample(this.cpuMicros - earlier.cpuMicros, this.rssKb - earlier.rssKb,
					this.threads - earlier.threads, this.userMicros - earlier.userMicros);
		}

		/** CPU in the kernel on the processes' behalf (system calls, interrupts they took). */
		long systemMicros() {
			return this.cpuMicros - this.userMicros;
		}

	}

	/** Sum over the given processes and every descendant of theirs that is alive now. */
	static Sample sample(Collection<Long> pids) {
		long cpu = 0;
		long rss = 0;
		int threads = 0;
		long user = 0;
		for (long pid : withDescendants(pids)) {
			Sample one = sampleOne(pid);
			cpu += one.cpuMicros;
			rss += one.rssKb;
			threads += one.threads;
			user += one.userMicros;
		}
		return new Sample(cpu, rss, threads, user);
	}

	static Sample self() {
		return sampleOne(ProcessHandle.current().pid());
	}

	static Set<Long> withDescendants(Collection<Long> pids) {
		Set<Long> all = new LinkedHashSet<>(pids);
		for (long pid : pids) {
			ProcessHandle.of(pid).ifPresent((handle) -> handle.descendants().forEach((d) -> all.add(d.pid())));
		}
		return all;
	}

	private static Sample sampleOne(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name may hold spaces and parentheses: fields start after the last ')'.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
			long userTicks = Long.parseLong(fields[11]);
			long ticks = userTicks + Long.parseLong(fields[12]);
			long rssKb = 0;
			int threads = 0;
			for (String line : statusLines(pid)) {
				if (line.startsWith("VmRSS:")) {
					rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
				else if (line.startsWith("Threads:")) {
					threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
				}
			}
			return new Sample(ticks * 1_000_000 / CLOCK_TICKS, rssKb, threads, userTicks * 1_000_000 / CLOCK_TICKS);
		}
		catch (NoSuchFileException ex) {
			// The process exited between listing and reading it.
			return new Sample(0, 0, 0, 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read /proc of process " + pid, ex);
		}
	}

	private static List<String> statusLines(long pid) throws IOException {
		return new ArrayList<>(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
	}

}
