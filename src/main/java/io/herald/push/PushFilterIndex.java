package io.herald.push;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The push subscriptions in memory, in a tree of topic levels, so that the ones whose
 * filters match a topic are found by walking the topic's levels (and the {@code +} and
 * {@code #} branches beside them), whatever the number of subscriptions. MQTT's rules:
 * {@code +} is one level, {@code #} the rest and the parent level, and a filter starting
 * with a wildcard never matches a topic starting with {@code $}.
 * <p>
 * Reads run on any thread, at the same time as changes; changes are made one at a time.
 */
public final class PushFilterIndex {

	private static final String SINGLE_LEVEL = "+";

	private static final String MULTI_LEVEL = "#";

	private volatile Tree tree = new Tree();

	/** The subscriptions with a filter matching {@code topic}, each once. */
	public List<PushSubscription> match(String topic) {
		Tree current = this.tree;
		Map<UUID, PushSubscription> found = new LinkedHashMap<>();
		String[] levels = topic.split("/", -1);
		collect(current, current.root, levels, 0, topic.startsWith("$"), found);
		return new ArrayList<>(found.values());
	}

	/** How many subscriptions the index holds. */
	public int size() {
		return this.tree.subscriptions.size();
	}

	/** Add {@code subscription}, or replace the one with its id (and its filters). */
	public synchronized void put(PushSubscription subscription) {
		Tree current = this.tree;
		remove(current, subscription.id());
		add(current, subscription);
	}

	/** Remove the subscription with {@code id}, if the index holds it. */
	public synchronized void remove(UUID id) {
		remove(this.tree, id);
	}

	/** Replace everything with {@code subscriptions}, at once for readers. */
	public synchronized void replaceAll(Collection<PushSubscription> subscriptions) {
		Tree fresh = new Tree();
		subscriptions.forEach((subscription) -> add(fresh, subscription));
		this.tree = fresh;
	}

	private static void collect(Tree tree, Node node, String[] levels, int index, boolean dollar,
			Map<UUID, PushSubscription> found) {
		boolean wildcardsAllowed = index > 0 || !dollar;
		if (wildcardsAllowed) {
			// '#' matches the rest, the parent level included (a/# matches a).
			Node rest = node.children.get(MULTI_LEVEL);
			if (rest != null) {
				addAll(tree, rest, found);
			}
		}
		if (index == levels.length) {
			addAll(tree, node, found);
			return;
		}
		Node exact = node.children.get(levels[index]);
		if (exact != null) {
			collect(tree, exact, levels, index + 1, dollar, found);
		}
		if (wildcardsAllowed) {
			Node any = node.children.get(SINGLE_LEVEL);
			if (any != null) {
				collect(tree, any, levels, index + 1, dollar, found);
			}
		}
	}

	private static void addAll(Tree tree, Node node, Map<UUID, PushSubscription> found) {
		for (UUID id : node.subscribers) {
			PushSubscription subscription = tree.subscriptions.get(id);
			if (subscription != null) {
				found.putIfAbsent(id, subscription);
			}
		}
	}

	private static void add(Tree tree, PushSubscription subscription) {
		tree.subscriptions.put(subscription.id(), subscription);
		for (String filter : subscription.filters()) {
			Node node = tree.root;
			for (String level : filter.split("/", -1)) {
				node = node.children.computeIfAbsent(level, (key) -> new Node());
			}
			node.subscribers.add(subscription.id());
		}
	}

	private static void remove(Tree tree, UUID id) {
		PushSubscription old = tree.subscriptions.remove(id);
		if (old == null) {
			return;
		}
		for (String filter : old.filters()) {
			prune(tree.root, filter.split("/", -1), 0, id);
		}
	}

	/** Removes {@code id} at the end of the path, and the nodes left empty on the way. */
	private static boolean prune(Node node, String[] levels, int index, UUID id) {
		if (index == levels.length) {
			node.subscribers.remove(id);
		}
		else {
			@Nullable Node child = node.children.get(levels[index]);
			if (child != null && prune(child, levels, index + 1, id)) {
				node.children.remove(levels[index]);
			}
		}
		return node.subscribers.isEmpty() && node.children.isEmpty();
	}

	private static final class Tree {

		private final Node root = new Node();

		private final Map<UUID, PushSubscription> subscriptions = new ConcurrentHashMap<>();

	}

	private static final class Node {

		private final Map<String, Node> children = new ConcurrentHashMap<>();

		private final Set<UUID> subscribers = ConcurrentHashMap.newKeySet();

	}

}
