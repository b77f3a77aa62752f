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
	CLIENT_CPU_PERCENT("load client CPU (% of a core)", "%.0f");

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
