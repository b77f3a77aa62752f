package io.herald.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.herald.HeraldApplication;

import static org.awaitility.Awaitility.await;

/**
 * Herald as a process of its own, on the test's classpath, for what a test cannot do to a
 * context in its own JVM: a SIGTERM, a SIGKILL. Its output goes to a log file the test
 * can read; it is killed if the test leaves it running.
 */
public final class HeraldProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final int listenerPort;

	private final Path log;

	private HeraldProcess(Process process, int port, int listenerPort, Path log) {
		this.process = process;
		this.port = port;
		this.listenerPort = listenerPort;
		this.log = log;
	}

	/**
	 * Start a Herald in front of {@code brokerUri} on free ports and wait until it is
	 * ready.
	 */
	public static HeraldProcess start(String brokerUri, String... more) {
		return start(freePort(), freePort(), brokerUri, more);
	}

	/**
	 * Start a Herald on the given ports in front of {@code brokerUri}, with {@code more}
	 * arguments, and wait until it logged that it is ready.
	 */
	public static HeraldProcess start(int port, int listenerPort, String brokerUri, String... more) {
		try {
			Path log = Files.createTempFile("herald-process-", ".log");
			List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
					"-Xmx256m", "-cp", System.getProperty("java.class.path"), HeraldApplication.class.getName(),
					"--server.port=" + port, "--herald.relay.listener.port=" + listenerPort,
					"--herald.broker.embedded=false", "--herald.broker.url=" + brokerUri,
					"--herald.tls.self-signed-directory=target/tls",
					"--herald.security.jwt.secret=" + TestTokens.SECRET,
					"--herald.security.data-directory=target/security"));
			command.addAll(List.of(TestDatabase.arguments()));
			command.addAll(List.of(more));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			HeraldProcess herald = new HeraldProcess(process, port, listenerPort, log);
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("Herald exited with " + process.exitValue() + ": " + herald.log());
				}
				return herald.log().contains("Herald ready");
			});
			return herald;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start Herald", ex);
		}
	}

	public int port() {
		return this.port;
	}

	public int listenerPort() {
		return this.listenerPort;
	}

	public URI listenerUri() {
		return URI.create("wss://localhost:" + this.listenerPort + "/mqtt");
	}

	public URI webServerUri() {
		return URI.create("wss://localhost:" + this.port + "/mqtt");
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Send SIGTERM: a graceful shutdown. */
	public void terminate() {
		this.process.destroy();
	}

	/** Send SIGKILL: a crash. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** Wait at most {@code timeout} for it to exit; whether it did. */
	public boolean awaitExit(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	public int exitValue() {
		return this.process.exitValue();
	}

	/** What it logged so far. */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
