package io.herald.bench;

/**
 * A figure measured per target and scenario, with its column heading and format.
 */
enum Figure {

	ATTEMPTED("attempted", "%.0f"),
	CONNECTED("connected", "%.0f"),
	CONNECT_SECONDS("time to connect all (s)", "%.1f"),
	CONNECT_CPU_MS("server CPU per connect (ms)", "%.2f"),
	EXPECTED("expected", "%.0f"),
	DELIVERED("delivered", "%.0f"),
	LOST("lost", "%.0f"),
	DUPLICATES("duplicates", "%.0f"),
	DELIVERIES_PER_SECOND("deliveries/s", "%.0f"),
	P50_MS("p50 (ms)", "%.2f"),
	P99_MS("p99 (ms)", "%.2f"),
	MAX_MS("max (ms)", "%.1f"),
	CPU_US_PER_DELIVERY("server CPU per delivery (µs)", "%.1f"),
	SERVER_RSS_KB_PER_CONNECTION("server RSS per connection (KB)", "%.1f"),
	ALL_RSS_KB_PER_CONNECTION("with broker (KB)", "%.1f"),
	SERVER_THREADS_IDLE("threads idle", "%.0f"),
	SERVER_THREADS_MAX("threads under load", "%.0f"),
	CONNECTS_PER_SECOND("connects/s", "%.0f"),
	CONNECT_P50_MS("connect p50 (ms)", "%.1f"),
	CONNECT_P99_MS("connect p99 (ms)", "%.1f"),
	CONNECT_MAX_MS("connect max (ms)", "%.0f"),
	SERVER_RSS_GROWTH_MB("server RSS growth (MB)", "%.1f"),
	CLIENT_CPU_PERCENT("load client CPU (% of a core)", "%.0f"),
	FAILED("failed", "%.0f"),
	STALLED_OPEN("stalled subscribers still open", "%.0f"),
	P99_IN_A_MS("p99 in (a), same round (ms)", "%.2f"),
	P99_RATIO_TO_A("p99 ÷ p99 in (a)", "%.2f"),
	HEAP_BEFORE_MB("heap after GC before (MB)", "%.1f"),
	HEAP_AFTER_MB("heap after GC after (MB)", "%.1f"),
	HEAP_MB_PER_1000("heap after GC per 1,000 connections (MB)", "%.2f"),
	THREADS_BEFORE("threads before", "%.0f"),
	THREADS_AFTER("threads after", "%.0f"),
	FDS_BEFORE("open descriptors before", "%.0f"),
	FDS_AFTER("open descriptors after", "%.0f"),
	DIRECT_BEFORE_MB("direct buffers before (MB)", "%.2f"),
	DIRECT_AFTER_MB("direct buffers after (MB)", "%.2f"),
	OUT_OF_MEMORY_ERRORS("OutOfMemoryError lines in the server's log", "%.0f"),
	SERVER_USER_US_PER_DELIVERY("WebSocket server's user CPU per delivery or visit (µs)", "%.1f"),
	SERVER_SYSTEM_US_PER_DELIVERY("WebSocket server's kernel CPU per delivery or visit (µs)", "%.1f"),
	SERVER_READS_PER_DELIVERY("server reads per delivery", "%.2f"),
	SERVER_WRITES_PER_DELIVERY("server writes per delivery", "%.2f"),
	SERVER_BYTES_PER_READ("server bytes per read", "%.0f"),
	SERVER_BYTES_PER_WRITE("server bytes per write", "%.0f"),
	VFS_READS_PER_DELIVERY("server read calls counted by /proc/<pid>/io (syscr) per delivery", "%.2f"),
	VFS_WRITES_PER_DELIVERY("server write calls counted by /proc/<pid>/io (syscw) per delivery", "%.2f"),
	VFS_BYTES_PER_WRITE("wchar per syscw", "%.0f"),
	SERVER_EPOLL_WAITS_PER_DELIVERY("server epoll waits per delivery", "%.2f"),
	SERVER_VOLUNTARY_SWITCHES_PER_DELIVERY("server voluntary context switches per delivery", "%.2f"),
	TLS_RECORDS_PER_DELIVERY("TLS records received per delivery", "%.2f"),
	TLS_RECORDS_PER_SERVER_WRITE("TLS records per server write", "%.2f"),
	ALLOCATED_BYTES_PER_DELIVERY("server allocated per delivery (B)", "%.0f"),
	MICROMETER_ALLOCATED_BYTES_PER_DELIVERY("allocated per delivery, Micrometer's count (B)", "%.0f"),
	HEAP_GROWTH_BYTES_PER_DELIVERY("heap growth per delivery where no collection ran (B)", "%.0f");

	private final String heading;

	private final String format;

	Figure(String heading, String format) {
		this.heading = heading;
		this.format = format;
	}

	String heading() {
		return this.heading;
	}

	String format(double value) {
		return Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, this.format, value);
	}

}
