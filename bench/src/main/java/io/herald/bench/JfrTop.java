package io.herald.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a flight recording of a profile run: hottest methods (self and inclusive CPU
 * samples), the allocation sites and classes with the most sampled bytes, and GC pauses.
 *
 * <pre>java -cp bench/target/classes io.herald.bench.JfrTop recording.jfr [rows [thread-name-part]]</pre>
 */
public final class JfrTop {

	private final Map<String, Long> self = new HashMap<>();

	private final Map<String, Long> inclusive = new HashMap<>();

	private final Map<String, Long> threads = new HashMap<>();

	private final Map<String, Long> allocationSites = new HashMap<>();

	private final Map<String, Long> allocatedClasses = new HashMap<>();

	private final String threadFilter;

	private long samples;

	private long allocatedBytes;

	private long gcPauses;

	private double gcPauseMillis;

	private JfrTop(String threadFilter) {
		this.threadFilter = threadFilter;
	}

	public static void main(String[] args) throws IOException {
		JfrTop top = new JfrTop(args.length > 2 ? args[2] : "");
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			top.add(event);
		}
		top.print(args.length > 1 ? Integer.parseInt(args[1]) : 25);
	}

	private void add(RecordedEvent event) {
		String type = event.getEventType().getName();
		switch (type) {
			case "jdk.ExecutionSample" -> executionSample(event);
			case "jdk.ObjectAllocationSample" -> allocationSample(event);
			case "jdk.GarbageCollection" -> {
				this.gcPauses++;
				this.gcPauseMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
			}
			default -> {
			}
		}
	}

	private void executionSample(RecordedEvent event) {
		RecordedStackTrace stack = event.getStackTrace();
		String thread = event.getThread("sampledThread").getJavaName();
		thread = thread == null ? "?" : thread;
		if (stack == null || stack.getFrames().isEmpty() || !thread.contains(this.threadFilter)) {
			return;
		}
		this.samples++;
		List<RecordedFrame> frames = stack.getFrames();
		this.self.merge(method(frames.get(0)), 1L, Long::sum);
		Set<String> seen = new HashSet<>();
		for (RecordedFrame frame : frames) {
			String method = method(frame);
			if (seen.add(method)) {
				this.inclusive.merge(method, 1L, Long::sum);
			}
		}
		this.threads.merge(thread.replaceAll("-?\\d+$", "-N"), 1L, Long::sum);
	}

	private void allocationSample(RecordedEvent event) {
		long weight = event.getLong("weight");
		this.allocatedBytes += weight;
		RecordedClass type = event.getClass("objectClass");
		this.allocatedClasses.merge(type == null ? "?" : type.getName(), weight, Long::sum);
		RecordedStackTrace stack = event.getStackTrace();
		if (stack != null) {
			// The allocating frame, and the first application-level caller that explains it.
			List<RecordedFrame> frames = stack.getFrames();
			String site = frames.isEmpty() ? "?" : method(frames.get(0));
			String caller = frames.stream()
				.map(JfrTop::method)
				.filter(Predicate.not((m) -> m.startsWith("java.") || m.startsWith("jdk.") || m.startsWith("sun.")))
				.findFirst()
				.orElse("");
			this.allocationSites.merge(site + (caller.equals(site) || caller.isEmpty() ? "" : "  ← " + caller), weight,
					Long::sum);
		}
	}

	private static String method(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private void print(int rows) {
		System.out.printf(Locale.ROOT, "%d CPU samples; %d GC pauses, %.0f ms in total%n", this.samples, this.gcPauses,
				this.gcPauseMillis);
		print("CPU samples by thread", this.threads, this.samples, rows, "");
		print("Hot methods (self)", this.self, this.samples, rows, "");
		print("Hot methods (inclusive)", this.inclusive, this.samples, rows, "");
		print("Allocated bytes by class (sampled)", this.allocatedClasses, this.allocatedBytes, rows, " of "
				+ this.allocatedBytes / (1024 * 1024) + " MB");
		print("Allocated bytes by site (sampled)", this.allocationSites, this.allocatedBytes, rows, "");
	}

	private static void print(String title, Map<String, Long> counts, long total, int rows, String note) {
		System.out.println("\n== " + title + note);
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(rows)
			.forEach((e) -> System.out.printf(Locale.ROOT, "%5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total),
					e.getKey()));
	}

}
