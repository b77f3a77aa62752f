package io.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Counters of the WebSocket server process (and its children) over a measured phase, the same
 * window as its CPU figure: read- and write-family system calls and epoll waits (perf, counting
 * the syscall tracepoints, where perf works), bytes its TCP sockets sent and received (ss), the
 * read and write calls of {@code /proc/<pid>/io}, voluntary context switches (summed over the
 * status files of its threads), TLS records the load client received, and, for Herald, bytes its
 * JVM allocated (a flight recording of {@code jdk.ThreadAllocationStatistics} only), with two
 * checks of that: Micrometer's {@code jvm_gc_memory_allocated_bytes_total}, and the heap's growth
 * where no collection ran.
 */
final class PhaseCounters {

	private static final List<String> EPOLL_EVENTS = List.of("syscalls:sys_enter_epoll_wait",
			"syscalls:sys_enter_epoll_pwait", "syscalls:sys_enter_epoll_pwait2");

	/** The read family: what a server may read a socket with (Netty's epoll transport uses recvfrom). */
	private static final List<String> READ_EVENTS = List.of("syscalls:sys_enter_read", "syscalls:sys_enter_readv",
			"syscalls:sys_enter_recvfrom", "syscalls:sys_enter_recvmsg", "syscalls:sys_enter_recvmmsg");

	/** The write family (Netty's epoll transport writes with sendto, lighttpd with write). */
	private static final List<String> WRITE_EVENTS = List.of("syscalls:sys_enter_write", "syscalls:sys_enter_writev",
			"syscalls:sys_enter_sendto", "syscalls:sys_enter_sendmsg", "syscalls:sys_enter_sendmmsg",
			"syscalls:sys_enter_sendfile64");

	private static final Pattern SOCKET_BYTES = Pattern.compile("bytes_(sent|received):(\\d+)");

	/** perf attached to the server for the measured phase, unless {@code -Dbench.perf=false}. */
	private static final boolean PERF_WANTED = !"false".equals(System.getProperty("bench.perf"));

	/** The epoll events perf can count here (empty: no perf), found once. */
	private static List<String> perfEvents;

	private static final Pattern ALLOCATED = Pattern.compile("^jvm_gc_memory_allocated_bytes_total(?:\\{[^}]*\\})? (\\S+)",
			Pattern.MULTILINE);

	private static final Pattern GC_PAUSES = Pattern.compile("^jvm_gc_pause_seconds_count(?:\\{[^}]*\\})? (\\S+)",
			Pattern.MULTILINE);

	private final LoadClient client;

	private final Target target;

	private final List<Long> pids;

	private final boolean countSockets;

	private Process perf;

	private Path perfOutput;

	private Path jfr;

	private double micrometerBefore = Double.NaN;

	private double micrometerAfter = Double.NaN;

	private double gcPausesBefore = Double.NaN;

	private double gcPausesAfter = Double.NaN;

	private double heapBeforeMb = Double.NaN;

	private double heapAfterMb = Double.NaN;

	private Io ioBefore;

	private Io ioAfter;

	private long tlsBefore;

	private long tlsAfter;

	private Map<String, Long> perfCounts = Map.of();

	private long[] socketBytes;

	private Map<String, long[]> socketsBefore;

	private double allocatedBytes = Double.NaN;

	private PhaseCounters(LoadClient client, Target target, boolean countSockets) {
		this.client = client;
		this.target = target;
		this.countSockets = countSockets;
		this.pids = ProcStats.withDescendants(target.serverPids()).stream().toList();
	}

	/** One reading of /proc: read/write calls and bytes, and voluntary context switches of all threads alive. */
	record Io(long syscr, long syscw, long rchar, long wchar, long voluntarySwitches) {

		Io minus(Io earlier) {
			return new Io(this.syscr - earlier.syscr, this.syscw - earlier.syscw, this.rchar - earlier.rchar,
					this.wchar - earlier.wchar, this.voluntarySwitches - earlier.voluntarySwitches);
		}

	}

	/**
	 * Start counting: the flight recording and Micrometer's figure first (a scrape is traffic of
	 * its own), then perf, then the readings; the caller takes its CPU reading right after.
	 * {@code countSockets}: bytes per write from the sockets' own counts, for phases where the
	 * browsers' sockets stay open (not churn).
	 */
	static PhaseCounters start(LoadClient client, Target target, boolean countSockets) {
		PhaseCounters counters = new PhaseCounters(client, target, countSockets);
		if (target.isHerald()) {
			double[] scraped = counters.scrape();
			counters.micrometerBefore = scraped[0];
			counters.gcPausesBefore = scraped[1];
			counters.heapBeforeMb = HeraldProbe.heapUsedMb(target.server().pid());
			counters.startRecording();
		}
		counters.socketsBefore = countSockets ? counters.sockets() : null;
		counters.startPerf();
		counters.ioBefore = io(counters.pids);
		counters.tlsBefore = client.tlsRecordsReceived();
		return counters;
	}

	/** Stop counting, right after the caller's CPU reading. */
	void stop() {
		this.ioAfter = io(this.pids);
		this.tlsAfter = this.client.tlsRecordsReceived();
		this.perfCounts = stopPerf();
		Map<String, long[]> socketsAfter = this.countSockets ? sockets() : null;
		this.socketBytes = new long[2];
		if (this.socketsBefore != null && socketsAfter != null) {
			// Per socket, from its figure at the start (0 if opened since); sockets closed since are missed.
			socketsAfter.forEach((socket, bytes) -> {
				long[] before = this.socketsBefore.getOrDefault(socket, new long[2]);
				this.socketBytes[0] += bytes[0] - before[0];
				this.socketBytes[1] += bytes[1] - before[1];
			});
		}
		else {
			this.socketBytes = null;
		}
		if (this.jfr != null) {
			this.allocatedBytes = stopRecording();
			this.heapAfterMb = HeraldProbe.heapUsedMb(this.target.server().pid());
			double[] scraped = scrape();
			this.micrometerAfter = scraped[0];
			this.gcPausesAfter = scraped[1];
		}
	}

	/** The figures, per delivery (or per visit in churn). */
	void put(Result result, long per) {
		if (per <= 0) {
			return;
		}
		Io used = this.ioAfter.minus(this.ioBefore);
		long records = this.tlsAfter - this.tlsBefore;
		double reads = perfSum(READ_EVENTS);
		double writes = perfSum(WRITE_EVENTS);
		result.put(Figure.SERVER_READS_PER_DELIVERY, reads / per);
		result.put(Figure.SERVER_WRITES_PER_DELIVERY, writes / per);
		if (this.socketBytes != null) {
			result.put(Figure.SERVER_BYTES_PER_WRITE, writes > 0 ? this.socketBytes[0] / writes : Double.NaN);
			result.put(Figure.SERVER_BYTES_PER_READ, reads > 0 ? this.socketBytes[1] / reads : Double.NaN);
		}
		result.put(Figure.VFS_READS_PER_DELIVERY, (double) used.syscr() / per);
		result.put(Figure.VFS_WRITES_PER_DELIVERY, (double) used.syscw() / per);
		result.put(Figure.VFS_BYTES_PER_WRITE, used.syscw() == 0 ? Double.NaN : (double) used.wchar() / used.syscw());
		result.put(Figure.SERVER_VOLUNTARY_SWITCHES_PER_DELIVERY, (double) used.voluntarySwitches() / per);
		result.put(Figure.SERVER_EPOLL_WAITS_PER_DELIVERY, perfSum(EPOLL_EVENTS) / per);
		if (this.target.tls()) {
			result.put(Figure.TLS_RECORDS_PER_DELIVERY, (double) records / per);
			result.put(Figure.TLS_RECORDS_PER_SERVER_WRITE, writes > 0 ? records / writes : Double.NaN);
		}
		result.put(Figure.ALLOCATED_BYTES_PER_DELIVERY, this.allocatedBytes / per);
		result.put(Figure.MICROMETER_ALLOCATED_BYTES_PER_DELIVERY, (this.micrometerAfter - this.micrometerBefore) / per);
		if (this.gcPausesAfter == this.gcPausesBefore) {
			// No collection in between: the heap's growth is what was allocated, to a TLAB or so per thread.
			result.put(Figure.HEAP_GROWTH_BYTES_PER_DELIVERY,
					(this.heapAfterMb - this.heapBeforeMb) * 1024 * 1024 / per);
		}
	}

	/** Sum over the processes: /proc/<pid>/io, and voluntary switches of every thread alive now. */
	static Io io(List<Long> pids) {
		long syscr = 0;
		long syscw = 0;
		long rchar = 0;
		long wchar = 0;
		long switches = 0;
		for (long pid : pids) {
			Path proc = Path.of("/proc", Long.toString(pid));
			try {
				for (String line : Files.readAllLines(proc.resolve("io"))) {
					long value = line.indexOf(':') < 0 ? 0 : Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
					if (line.startsWith("syscr:")) {
						syscr += value;
					}
					else if (line.startsWith("syscw:")) {
						syscw += value;
					}
					else if (line.startsWith("rchar:")) {
						rchar += value;
					}
					else if (line.startsWith("wchar:")) {
						wchar += value;
					}
				}
				try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
					for (Path task : tasks) {
						switches += voluntarySwitches(task);
					}
				}
			}
			catch (NoSuchFileException ex) {
				// The process exited between listing and reading it.
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Failed to read /proc of process " + pid, ex);
			}
		}
		return new Io(syscr, syscw, rchar, wchar, switches);
	}

	private static long voluntarySwitches(Path task) {
		try {
			for (String line : Files.readAllLines(task.resolve("status"))) {
				if (line.startsWith("voluntary_ctxt_switches:")) {
					return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
			}
		}
		catch (IOException ex) {
			// The thread ended between listing and reading it.
		}
		return 0;
	}

	/** perf stat on the server's processes, CSV to a file; waits a little for it to attach. */
	private void startPerf() {
		List<String> events = perfEvents();
		if (events.isEmpty()) {
			return;
		}
		try {
			this.perfOutput = Files.createTempFile("bench-perf", ".csv");
			this.perf = new ProcessBuilder("perf", "stat", "-x,", "-o", this.perfOutput.toString(), "-e",
					String.join(",", events), "-p", this.pids.stream().map(String::valueOf).collect(Collectors.joining(",")))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			ServerProcess.sleep(Duration.ofMillis(500));
			if (!this.perf.isAlive()) {
				System.err.println("    perf stat exited early: " + Files.readString(this.perfOutput).trim());
				this.perf = null;
			}
		}
		catch (IOException ex) {
			System.err.println("    perf stat failed to start: " + ex.getMessage());
			this.perf = null;
		}
	}

	/** The sum of the counts of those of {@code events} perf counted, or NaN if it counted none. */
	private double perfSum(List<String> events) {
		double sum = 0;
		boolean any = false;
		for (String event : events) {
			Long count = this.perfCounts.get(event);
			if (count != null) {
				sum += count;
				any = true;
			}
		}
		return any ? sum : Double.NaN;
	}

	/** SIGINT makes perf stat print its counts and exit; its counts by event (none if it failed). */
	private Map<String, Long> stopPerf() {
		if (this.perf == null) {
			return Map.of();
		}
		try {
			if (!ServerProcess.interrupt(this.perf, Duration.ofSeconds(10))) {
				return Map.of();
			}
			return perfCounts(Files.readAllLines(this.perfOutput));
		}
		catch (IOException ex) {
			System.err.println("    perf stat output unreadable: " + ex.getMessage());
			return Map.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Map.of();
		}
		finally {
			deleteQuietly(this.perfOutput);
		}
	}

	/** Counts by event of perf stat's CSV lines (value,unit,event,...); "<not counted>" is 0. */
	static Map<String, Long> perfCounts(List<String> lines) {
		Map<String, Long> counts = new HashMap<>();
		for (String line : lines) {
			String[] fields = line.split(",", -1);
			if (fields.length < 3 || !fields[2].startsWith("syscalls:")) {
				continue;
			}
			counts.merge(fields[2], fields[0].matches("\\d+") ? Long.parseLong(fields[0]) : 0L, Long::sum);
		}
		return counts;
	}

	/**
	 * Those of the epoll, read and write events perf counts on this machine, each tried once on a
	 * short process; none if perf is missing, refused (perf_event_paranoid, no tracefs) or
	 * {@code -Dbench.perf=false}.
	 */
	static synchronized List<String> perfEvents() {
		if (perfEvents == null) {
			List<String> working = new ArrayList<>();
			if (PERF_WANTED) {
				for (List<String> family : List.of(EPOLL_EVENTS, READ_EVENTS, WRITE_EVENTS)) {
					for (String event : family) {
						if (perfWorks(event)) {
							working.add(event);
						}
					}
				}
				System.err.println(working.isEmpty() ? "  perf stat cannot count system calls here: no epoll column, "
						+ "reads and writes from /proc/<pid>/io only"
						: "  perf stat counts " + working.size() + " system call tracepoints of the WebSocket servers "
								+ "in the measured phases");
			}
			perfEvents = List.copyOf(working);
		}
		return perfEvents;
	}

	private static boolean perfWorks(String event) {
		try {
			Process perf = new ProcessBuilder("perf", "stat", "-x,", "-e", event, "--", "sleep", "0.05")
				.redirectErrorStream(true)
				.start();
			String output = new String(perf.getInputStream().readAllBytes());
			if (!perf.waitFor(30, TimeUnit.SECONDS)) {
				perf.destroyForcibly();
				return false;
			}
			return perf.exitValue() == 0 && perfCounts(output.lines().toList()).containsKey(event);
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Bytes sent and received so far by each established TCP socket of the server's processes,
	 * by local and peer address ({@code ss -tinp}: tcp_info's bytes_sent and bytes_received);
	 * null if ss is missing or fails.
	 */
	private Map<String, long[]> sockets() {
		List<String> owners = this.pids.stream().map((pid) -> "pid=" + pid + ",").toList();
		try {
			Process ss = new ProcessBuilder("ss", "-tinpH", "state", "established").redirectErrorStream(true).start();
			List<String> lines = new String(ss.getInputStream().readAllBytes()).lines().toList();
			if (!ss.waitFor(60, TimeUnit.SECONDS) || ss.exitValue() != 0) {
				ss.destroyForcibly();
				return null;
			}
			Map<String, long[]> sockets = new HashMap<>();
			String socket = null;
			for (String line : lines) {
				if (!line.startsWith(" ") && !line.startsWith("\t")) {
					// A socket: Recv-Q Send-Q Local Peer users:(("name",pid=N,fd=M)...).
					String[] fields = line.trim().split("\\s+");
					socket = fields.length >= 4 && owners.stream().anyMatch(line::contains) ? fields[2] + " " + fields[3]
							: null;
				}
				else if (socket != null) {
					long[] bytes = sockets.computeIfAbsent(socket, (k) -> new long[2]);
					Matcher matcher = SOCKET_BYTES.matcher(line);
					while (matcher.find()) {
						bytes["sent".equals(matcher.group(1)) ? 0 : 1] = Long.parseLong(matcher.group(2));
					}
				}
			}
			return sockets;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** A recording of nothing but every thread's allocated bytes, at the start and end of each chunk. */
	private void startRecording() {
		try {
			this.jfr = Files.createTempFile("bench-alloc", ".jfr");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to create a file for the flight recording", ex);
		}
		HeraldProbe.jcmd(this.target.server().pid(), "JFR.start", "name=bench-alloc", "settings=none",
				"+jdk.ThreadAllocationStatistics#enabled=true", "+jdk.ThreadAllocationStatistics#period=everyChunk");
	}

	/** Bytes allocated between the recording's start and end, summed over threads; NaN if unreadable. */
	private double stopRecording() {
		List<String> output = HeraldProbe.jcmd(this.target.server().pid(), "JFR.stop", "name=bench-alloc",
				"filename=" + this.jfr);
		try {
			return allocatedBetween(RecordingFile.readAllEvents(this.jfr));
		}
		catch (IOException ex) {
			System.err.println("    " + this.target.name() + ": no allocation figure: " + ex.getMessage() + " "
					+ String.join(" ", output));
			return Double.NaN;
		}
		finally {
			deleteQuietly(this.jfr);
		}
	}

	/**
	 * Per thread, the last allocated-bytes figure minus the one at the recording's start; a thread
	 * started since counts from 0. A thread that ended before the last figure is missed.
	 */
	static double allocatedBetween(List<RecordedEvent> events) {
		List<RecordedEvent> statistics = new ArrayList<>(events.stream()
			.filter((e) -> "jdk.ThreadAllocationStatistics".equals(e.getEventType().getName()))
			.toList());
		if (statistics.isEmpty()) {
			return Double.NaN;
		}
		statistics.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
		// The recording's first chunk starts with one event per thread, all within a moment.
		java.time.Instant first = statistics.get(0).getStartTime().plusMillis(500);
		Map<Long, Long> atStart = new HashMap<>();
		Map<Long, Long> last = new HashMap<>();
		for (RecordedEvent event : statistics) {
			RecordedThread thread = event.getThread("thread");
			if (thread == null) {
				continue;
			}
			long id = thread.getJavaThreadId() > 0 ? thread.getJavaThreadId() : -thread.getOSThreadId();
			long allocated = event.getLong("allocated");
			if (event.getStartTime().isBefore(first)) {
				atStart.putIfAbsent(id, allocated);
			}
			last.put(id, allocated);
		}
		long sum = 0;
		for (Map.Entry<Long, Long> entry : last.entrySet()) {
			sum += entry.getValue() - atStart.getOrDefault(entry.getKey(), 0L);
		}
		return sum;
	}

	/**
	 * From Herald's scrape: Micrometer's count of bytes allocated in the young generation (it grows
	 * at each collection) and the number of collection pauses; NaN where unreadable.
	 */
	private double[] scrape() {
		try {
			String scrape = new HeraldProbe(this.client, this.target).prometheus();
			Matcher allocated = ALLOCATED.matcher(scrape);
			double pauses = 0;
			Matcher pause = GC_PAUSES.matcher(scrape);
			while (pause.find()) {
				pauses += Double.parseDouble(pause.group(1));
			}
			return new double[] { allocated.find() ? Double.parseDouble(allocated.group(1)) : Double.NaN, pauses };
		}
		catch (RuntimeException ex) {
			return new double[] { Double.NaN, Double.NaN };
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			if (file != null) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			// A temporary file: left behind at worst.
		}
	}

}
