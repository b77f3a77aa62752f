package io.herald.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real Mosquitto broker started from its binary on a free loopback port with a
 * generated configuration, and stopped by its own process id.
 */
public final class MosquittoProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path directory;

	private MosquittoProcess(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start Mosquitto, or skip the calling test when it is not installed (fail in CI).
	 */
	public static MosquittoProcess start() {
		Path binary = RequiredBinary.find("mosquitto", "mosquitto");
		try {
			Path directory = Files.createTempDirectory("herald-mosquitto-");
			int port = freePort();
			Path config = directory.resolve("mosquitto.conf");
			Files.writeString(config, """
					listener %d 127.0.0.1
					allow_anonymous true
					persistence false
					log_dest stdout
					""".formatted(port));
			return launch(binary, directory, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to start mosquitto", ex);
		}
	}

	/**
	 * Stop this broker, unless it was already stopped or killed, and start a fresh one on
	 * the same port with the same configuration, as after an outage.
	 */
	public MosquittoProcess restart() {
		stop();
		try {
			return launch(RequiredBinary.find("mosquitto", "mosquitto"), this.directory, this.port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to restart mosquitto", ex);
		}
	}

	private static MosquittoProcess launch(Path binary, Path directory, int port) throws IOException {
		Process process = new ProcessBuilder(binary.toString(), "-c", directory.resolve("mosquitto.conf").toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("mosquitto.log").toFile()))
			.start();
		MosquittoProcess mosquitto = new MosquittoProcess(process, port, directory);
		mosquitto.awaitListening();
		return mosquitto;
	}

	public int port() {
		return this.port;
	}

	public String tcpUri() {
		return "tcp://127.0.0.1:" + this.port;
	}

	public long pid() {
		return this.process.pid();
	}

	/** Stop the broker (SIGTERM, then SIGKILL) and wait for it to exit. */
	public void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Kill the broker with SIGKILL, as a crash would: no DISCONNECT, no orderly close of
	 * its connections, just the kernel closing its sockets. Waits for it to exit; the
	 * port and configuration stay for {@link #restart()}.
	 */
	public void kill() {
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("mosquitto " + pid() + " did not exit after SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
		try {
			org.springframework.util.FileSystemUtils.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitListening() {
		Awaitility.await("mosquitto listening on " + this.port)
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(
							"mosquitto exited: " + Files.readString(this.directory.resolve("mosquitto.log")));
				}
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
					return true;
				}
				catch (IOException ex) {
					return false;
				}
			});
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
