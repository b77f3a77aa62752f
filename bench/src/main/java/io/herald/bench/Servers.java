package io.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts one round's servers on free loopback ports: one Mosquitto (TCP and WebSocket listeners)
 * and, in front of it, lighttpd, nginx and two Herald instances; stops them all on close.
 */
final class Servers implements AutoCloseable {

	static final String MOSQUITTO_WS = "Mosquitto ws";

	static final String LIGHTTPD_WSS = "lighttpd wss";

	static final String NGINX_WSS = "nginx wss";

	static final String HERALD_WSS = "Herald wss";

	static final String HERALD_WS = "Herald ws";

	/** Herald's relay served by its web server (Tomcat) at /mqtt, rather than by its relay listener. */
	static final String HERALD_WEB_WSS = "Herald web wss";

	/** Herald wss with its security gate off ({@code herald.security.enabled=false}): what the gate costs. */
	static final String HERALD_WSS_OPEN = "Herald wss open";

	/** Herald wss as shipped, its browsers on event streams (GET /api/news/stream) instead of WebSockets. */
	static final String HERALD_SSE = "Herald sse";

	/** Herald wss with its own meters off ({@code management.metrics.enable.herald=false}): what they cost. */
	static final String HERALD_WSS_NOMETRICS = "Herald wss nometrics";

	/**
	 * Herald wss with one change to try against Herald wss in the same round: another java
	 * ({@code bench.altJava}), more JVM options ({@code bench.altJvm}) or more arguments
	 * ({@code bench.altArgs}), from run.sh's HERALD_ALT_JAVA, HERALD_ALT_JAVA_OPTS and HERALD_ALT_ARGS.
	 */
	static final String HERALD_WSS_ALT = "Herald wss alt";

	static final List<String> ALL = List.of(MOSQUITTO_WS, LIGHTTPD_WSS, NGINX_WSS, HERALD_WSS, HERALD_WS,
			HERALD_WEB_WSS, HERALD_WSS_OPEN, HERALD_SSE, HERALD_WSS_NOMETRICS, HERALD_WSS_ALT);

	/** A relay holds two descriptors per browser; every process here may open at most 20,000. */
	private static final int MAX_FDS = 20_000;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

	private final Path directory;

	private final Path heraldJar;

	private final List<String> heraldJvmOptions;

	private final List<String> heraldArguments;

	private final List<ServerProcess> started = new ArrayList<>();

	private ServerProcess mosquitto;

	private int brokerPort;

	private int brokerWebSocketPort;

	Servers(Path directory, Path heraldJar, List<String> heraldJvmOptions, List<String> heraldArguments) {
		this.directory = directory;
		this.heraldJar = heraldJar;
		this.heraldJvmOptions = heraldJvmOptions;
		this.heraldArguments = heraldArguments;
	}

	int brokerPort() {
		return this.brokerPort;
	}

	ServerProcess broker() {
		return this.mosquitto;
	}

	/** Start Mosquitto and then every wanted target, in the given order. */
	List<Target> start(List<String> wanted) {
		certificate();
		startMosquitto();
		List<Target> targets = new ArrayList<>();
		for (String name : wanted) {
			targets.add(switch (name) {
				case MOSQUITTO_WS -> new Target(name, uri("ws", this.brokerWebSocketPort), null, this::broker);
				case LIGHTTPD_WSS -> startLighttpd();
				case NGINX_WSS -> startNginx();
				case HERALD_WSS -> startHerald(name, true, true, true, List.of());
				case HERALD_WS -> startHerald(name, false, true, true, List.of());
				case HERALD_WEB_WSS -> startHerald(name, true, false, true, List.of());
				case HERALD_WSS_OPEN -> startHerald(name, true, true, false, List.of());
				case HERALD_SSE -> startHerald(name, true, true, true, List.of());
				case HERALD_WSS_NOMETRICS ->
					startHerald(name, true, true, true, List.of("--management.metrics.enable.herald=false"));
				case HERALD_WSS_ALT -> startHerald(name, true, true, true, alternative());
				default -> throw new IllegalArgumentException("Unknown target " + name);
			});
		}
		return targets;
	}

	/**
	 * A fresh broker on the same ports, so that no measurement inherits the memory another one made
	 * the broker allocate; the relays connect per browser and need no restart.
	 */
	void restartBroker() {
		this.mosquitto.close();
		this.started.remove(this.mosquitto);
		startMosquitto(this.brokerPort, this.brokerWebSocketPort);
	}

	private void startMosquitto() {
		startMosquitto(ServerProcess.freePort(), ServerProcess.freePort());
	}

	private void startMosquitto(int port, int webSocketPort) {
		this.brokerPort = port;
		this.brokerWebSocketPort = webSocketPort;
		Path config = write("mosquitto.conf", """
				# Benchmark broker: no persistence, anyone may connect, no connection limit.
				per_listener_settings false
				allow_anonymous true
				persistence false
				log_dest stdout
				log_type error
				log_type warning
				connection_messages false
				set_tcp_nodelay true
				max_inflight_messages 20
				max_queued_messages 1000
				listener %d 127.0.0.1
				max_connections -1
				listener %d 127.0.0.1
				protocol websockets
				max_connections -1
				""".formatted(this.brokerPort, this.brokerWebSocketPort));
		this.mosquitto = ServerProcess.start("mosquitto", List.of("mosquitto", "-c", config.toString()),
				this.directory);
		// First in the list: stopped last, after the relays.
		this.started.add(0, this.mosquitto);
		this.mosquitto.awaitPort(this.brokerPort, START_TIMEOUT).awaitPort(this.brokerWebSocketPort, START_TIMEOUT);
	}

	private Target startLighttpd() {
		int port = ServerProcess.freePort();
		Path config = write("lighttpd.conf", """
				server.document-root = "%1$s"
				server.bind = "127.0.0.1"
				server.port = %2$d
				server.errorlog = "%1$s/lighttpd-error.log"
				server.modules = ("mod_openssl", "mod_setenv", "mod_wstunnel")
				# Two descriptors per proxied browser.
				server.max-fds = %3$d
				server.max-connections = %4$d
				server.max-read-idle = 3600
				server.max-write-idle = 3600
				ssl.engine = "enable"
				ssl.pemfile = "%1$s/cert.pem"
				ssl.privkey = "%1$s/key.pem"
				wstunnel.server = ("" => (("host" => "127.0.0.1", "port" => %5$d)))
				wstunnel.frame-type = "binary"
				# mod_wstunnel answers the subprotocol "binary"; MQTT clients that offered "mqtt" need it back.
				setenv.set-response-header = ("Sec-WebSocket-Protocol" => "mqtt")
				""".formatted(this.directory, port, MAX_FDS, MAX_FDS / 2 - 100, this.brokerPort));
		ServerProcess lighttpd = track(ServerProcess.start("lighttpd",
				List.of("lighttpd", "-D", "-f", config.toString()), this.directory));
		lighttpd.awaitPort(port, START_TIMEOUT);
		return new Target(LIGHTTPD_WSS, uri("wss", port), lighttpd, this::broker);
	}

	private Target startNginx() {
		int port = ServerProcess.freePort();
		Path config = write("nginx.conf", """
				worker_processes auto;
				worker_rlimit_nofile %3$d;
				daemon off;
				pid %1$s/nginx.pid;
				error_log %1$s/nginx-error.log warn;
				events {
				    worker_connections %3$d;
				}
				http {
				    access_log off;
				    client_body_temp_path %1$s/nginx-body;
				    proxy_temp_path %1$s/nginx-proxy;
				    server {
				        listen 127.0.0.1:%2$d ssl;
				        ssl_certificate %1$s/cert.pem;
				        ssl_certificate_key %1$s/key.pem;
				        location / {
				            proxy_pass http://127.0.0.1:%4$d;
				            proxy_http_version 1.1;
				            proxy_set_header Upgrade $http_upgrade;
				            proxy_set_header Connection "upgrade";
				            proxy_read_timeout 3600s;
				            proxy_send_timeout 3600s;
				        }
				    }
				}
				""".formatted(this.directory, port, MAX_FDS - 500, this.brokerWebSocketPort));
		ServerProcess nginx = track(ServerProcess.start("nginx", List.of("nginx", "-p", this.directory + "/", "-e",
				this.directory + "/nginx-error.log", "-c", config.toString()), this.directory));
		nginx.awaitPort(port, START_TIMEOUT);
		return new Target(NGINX_WSS, uri("wss", port), nginx, this::broker);
	}

	/** The java that runs Herald: run.sh's HERALD_JAVA, else the load client's own. */
	static String heraldJava() {
		String java = System.getProperty("bench.heraldJava", "");
		return java.isEmpty() ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : java;
	}

	/**
	 * How a Herald target is launched beyond what every Herald shares: its java (empty for
	 * {@link #heraldJava()}), JVM options and arguments of its own.
	 */
	record Launch(String java, List<String> jvmOptions, List<String> arguments) {

		/** Herald wss alt's change, from run.sh's HERALD_ALT_JAVA, HERALD_ALT_JAVA_OPTS and HERALD_ALT_ARGS. */
		static Launch alternative() {
			return new Launch(System.getProperty("bench.altJava", ""), words(System.getProperty("bench.altJvm", "")),
					words(System.getProperty("bench.altArgs", "")));
		}

		boolean changesNothing() {
			return this.java.isEmpty() && this.jvmOptions.isEmpty() && this.arguments.isEmpty();
		}

		/** For the report's header. */
		String describe() {
			List<String> parts = new ArrayList<>();
			if (!this.java.isEmpty()) {
				parts.add("java " + this.java);
			}
			if (!this.jvmOptions.isEmpty()) {
				parts.add("JVM options " + String.join(" ", this.jvmOptions));
			}
			if (!this.arguments.isEmpty()) {
				parts.add("arguments " + String.join(" ", this.arguments));
			}
			return parts.isEmpty() ? "(nothing)" : String.join(", ", parts);
		}

		private static List<String> words(String text) {
			return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
		}

	}

	private static Launch alternative() {
		Launch alternative = Launch.alternative();
		if (alternative.changesNothing()) {
			throw new IllegalArgumentException(HERALD_WSS_ALT + " would be Herald wss itself: set HERALD_ALT_JAVA, "
					+ "HERALD_ALT_JAVA_OPTS or HERALD_ALT_ARGS");
		}
		return alternative;
	}

	private Target startHerald(String name, boolean tls, boolean listener, boolean security, List<String> extra) {
		return startHerald(name, tls, listener, security, new Launch("", List.of(), extra));
	}

	private Target startHerald(String name, boolean tls, boolean listener, boolean security, Launch change) {
		int port = ServerProcess.freePort();
		int listenerPort = ServerProcess.freePort();
		String key = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
		List<String> command = new ArrayList<>();
		command.add(change.java().isEmpty() ? heraldJava() : change.java());
		command.addAll(this.heraldJvmOptions);
		command.addAll(change.jvmOptions());
		Collections.addAll(command, "-jar", this.heraldJar.toString(), "--server.address=127.0.0.1",
				"--server.port=" + port, "--herald.broker.embedded=false",
				"--herald.broker.url=tcp://127.0.0.1:" + this.brokerPort,
				"--server.ssl.enabled=" + tls, "--herald.relay.listener.enabled=" + listener,
				"--herald.relay.listener.address=127.0.0.1", "--herald.relay.listener.port=" + listenerPort,
				"--herald.security.enabled=" + security);
		command.addAll(this.heraldArguments);
		command.addAll(change.arguments());
		// Each Herald in a directory of its own: its ./data (certificate, signing secret, VAPID
		// keys, the push subscriptions' H2 file) is not shared with another target's.
		Path home = this.directory.resolve(key);
		try {
			Files.createDirectories(home);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ServerProcess herald = track(ServerProcess.start(key, command, home));
		herald.awaitPort(port, START_TIMEOUT);
		int browserPort = listener ? listenerPort : port;
		herald.awaitPort(browserPort, START_TIMEOUT);
		if (HERALD_SSE.equals(name)) {
			URI stream = URI.create((tls ? "https" : "http") + "://localhost:" + port + EventStreamSubscriber.PATH);
			return new Target(name, stream, herald, this::broker, true, port);
		}
		return new Target(name, uri(tls ? "wss" : "ws", browserPort), herald, this::broker, false, port);
	}

	/** A self-signed EC P-256 certificate for lighttpd and nginx (Herald generates its own, also P-256). */
	private void certificate() {
		run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
				"-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost", "-addext",
				"subjectAltName=DNS:localhost,IP:127.0.0.1"));
	}

	private void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("openssl.log").toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("Failed: " + String.join(" ", command));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to run " + command.get(0), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private Path write(String name, String content) {
		try {
			return Files.writeString(this.directory.resolve(name), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to write " + name, ex);
		}
	}

	private ServerProcess track(ServerProcess process) {
		this.started.add(process);
		return process;
	}

	private static URI uri(String scheme, int port) {
		return URI.create(scheme + "://localhost:" + port + "/mqtt");
	}

	/** Stop the relays first, then the broker they use. */
	@Override
	public void close() {
		for (int i = this.started.size() - 1; i >= 0; i--) {
			this.started.get(i).close();
		}
		this.started.clear();
	}

}
