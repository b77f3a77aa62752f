package io.herald.relay;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * How many relayed connections each client address holds, on both endpoints together, and
 * whether one more may open ({@code herald.relay.max-connections-per-address}; {@code 0}
 * counts nothing). The client address is the peer's, or, when the peer is one of
 * {@code herald.relay.trusted-proxies}, the nearest address in {@code X-Forwarded-For}
 * that is not itself a trusted proxy: a header from anyone else is not believed.
 */
final class AddressLimit {

	private final int max;

	private final List<IpAddressMatcher> trustedProxies;

	private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

	AddressLimit(int max, List<String> trustedProxies) {
		this.max = max;
		this.trustedProxies = trustedProxies.stream().map(IpAddressMatcher::new).toList();
	}

	/**
	 * The address a connection is counted under, given its peer and its
	 * {@code X-Forwarded-For}.
	 */
	String clientAddress(@Nullable InetSocketAddress peer, @Nullable String forwardedFor) {
		String address = (peer != null) ? peer.getAddress().getHostAddress() : "unknown";
		if (forwardedFor == null || !trusted(address)) {
			return address;
		}
		String[] hops = forwardedFor.split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			String hop = hops[i].trim();
			if (hop.isEmpty()) {
				continue;
			}
			if (!trusted(hop)) {
				return hop;
			}
			address = hop;
		}
		return address;
	}

	/**
	 * Count one more connection from {@code address}.
	 * @return {@code false} if it already holds the maximum (nothing is counted then)
	 */
	boolean tryOpen(String address) {
		if (this.max <= 0) {
			return true;
		}
		boolean[] admitted = { false };
		this.open.compute(address, (key, count) -> {
			int current = (count != null) ? count : 0;
			admitted[0] = current < this.max;
			return (admitted[0]) ? current + 1 : ((current > 0) ? current : null);
		});
		return admitted[0];
	}

	/** A connection counted by {@link #tryOpen} closed. */
	void closed(String address) {
		if (this.max > 0) {
			this.open.computeIfPresent(address, (key, count) -> (count > 1) ? count - 1 : null);
		}
	}

	/** Why a connection is refused, for its 429. */
	String refusal(String address) {
		return "More than " + this.max + " connections from " + address + " (herald.relay.max-connections-per-address)";
	}

	private boolean trusted(String address) {
		for (IpAddressMatcher proxy : this.trustedProxies) {
			try {
				if (proxy.matches(address)) {
					return true;
				}
			}
			catch (IllegalArgumentException ex) {
				// Not an IP address (a forged header): not a proxy of ours.
				return false;
			}
		}
		return false;
	}

}
