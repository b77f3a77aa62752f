package io.herald.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.hivemq.embedded.EmbeddedHiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.FileSystemUtils;

/**
 * The in-process MQTT broker (HiveMQ Community Edition) Herald runs when no external
 * broker is configured: MQTT 3.1, 3.1.1 and 5 on 127.0.0.1, in-memory persistence.
 */
final class EmbeddedBroker implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedBroker.class);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Brokers of this JVM not stopped yet. At JVM exit they are all told to stop at once:
	 * a broker takes about 4 s to stop, and contexts closed one after the other at exit
	 * (as a test JVM's cached contexts are) would otherwise add those seconds up.
	 */
	private static final Set<EmbeddedBroker> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedBroker::stopAllAtExit, "embedded-broker-exit"));
	}

	private final EmbeddedHiveMQ hivemq;

	private final AtomicReference<CompletableFuture<Void>> stopping = new AtomicReference<>();

	private final Path workDirectory;

	private final InetAddress address;

	private final int port;

	private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path workDirectory, InetAddress address, int port) {
		this.hivemq = hivemq;
		this.workDirectory = workDirectory;
		this.address = address;
		this.port = port;
	}

	/**
	 * Start a broker listening on {@code 127.0.0.1:port}, or on a free port when
	 * {@code port} is 0.
	 */
	static EmbeddedBroker start(int requestedPort) {
		return start(InetAddress.getLoopbackAddress(), requestedPort);
	}

	/**
	 * Start a broker listening on {@code address:port}, or on a free port when
	 * {@code port} is 0.
	 */
	static EmbeddedBroker start(InetAddress address, int requestedPort) {
		int port = (requestedPort != 0) ? ensureFree(address, requestedPort) : freePort(address);
		Path workDirectory = createWorkDirectory(address, port);
		EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
			.withConfigurationFolder(workDirectory.resolve("conf"))
			.withDataFolder(workDirectory.resolve("data"))
			.withExtensionsFolder(workDirectory.resolve("extensions"))
			.withoutLoggingBootstrap()
			.build();
		try {
			hivemq.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the embedded MQTT broker", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			FileSystemUtils.deleteRecursively(workDirectory.toFile());
			throw new IllegalStateException("Failed to start the embedded MQTT broker on " + hostPort(address, port),
					ex);
		}
		logger.info("Embedded MQTT broker listening on {}", hostPort(address, port));
		EmbeddedBroker broker = new EmbeddedBroker(hivemq, workDirectory, address, port);
		running.add(broker);
		return broker;
	}

	int port() {
		return this.port;
	}

	/** The URL Herald itself connects to: loopback when the broker listens everywhere. */
	URI uri() {
		InetAddress target = this.address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : this.address;
		return URI.create("tcp://" + hostPort(target, this.port));
	}

	private static String hostPort(InetAddress address, int port) {
		String host = address.getHostAddress();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
	}

	@Override
	public void close() {
		try {
			stopAsync().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			this.hivemq.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Embedded MQTT broker did not stop cleanly", ex);
		}
		finally {
			running.remove(this);
			FileSystemUtils.deleteRecursively(this.workDirectory.toFile());
		}
	}

	/** Starts stopping this broker, once; every caller gets the same completion. */
	private CompletableFuture<Void> stopAsync() {
		CompletableFuture<Void> stopped = new CompletableFuture<>();
		if (!this.stopping.compareAndSet(null, stopped)) {
			return this.stopping.get();
		}
		this.hivemq.stop().whenComplete((result, failure) -> {
			if (failure != null) {
				stopped.completeExceptionally(failure);
			}
			else {
				stopped.complete(null);
			}
		});
		return stopped;
	}

	private static void stopAllAtExit() {
		CompletableFuture<?>[] all = running.stream().map(EmbeddedBroker::stopAsync).toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(all).get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Each broker's own close reports how it failed.
		}
	}

	private static int ensureFree(InetAddress address, int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(address, port));
			return port;
		}
		catch (BindException ex) {
			throw new EmbeddedBrokerPortInUseException(port, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to check port " + port + " for the embedded MQTT broker", ex);
		}
	}

	private static int freePort(InetAddress address) {
		try (ServerSocket socket = new ServerSocket(0, 1, address)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to find a free port for the embedded MQTT broker", ex);
		}
	}

	private static Path createWorkDirectory(InetAddress address, int port) {
		try {
			Path directory = Files.createTempDirectory("herald-broker-");
			Files.createDirectories(directory.resolve("conf"));
			Files.createDirectories(directory.resolve("data"));
			Files.createDirectories(directory.resolve("extensions"));
			Files.writeString(directory.resolve("conf").resolve("config.xml"), configXml(address, port));
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to prepare the embedded MQTT broker's folders", ex);
		}
	}

	private static String configXml(InetAddress address, int port) {
		return """
				<?xml version="1.0"?>
				<hivemq>
				    <listeners>
				        <tcp-listener>
				            <port>%d</port>
				            <bind-address>%s</bind-address>
				        </tcp-listener>
				    </listeners>
				    <persistence>
				        <mode>in-memory</mode>
				    </persistence>
				    <anonymous-usage-statistics>
				        <enabled>false</enabled>
				    </anonymous-usage-statistics>
				</hivemq>
				""".formatted(port, address.getHostAddress());
	}

}
