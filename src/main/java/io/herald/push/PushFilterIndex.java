package io.herald.push;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
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
 * Each node keeps the subscriptions ending there in an array that is replaced, never
 * changed, so a match only reads arrays; only a subscription with several filters can be
 * found twice, so only those are checked for repeats.
 * <p>
 * Reads run on any thread, at the same time as changes; changes are made one at a time.
 */
public final class PushFilterIndex {

	private static final String SINGLE_LEVEL = "+";

	private static final String MULTI_LEVEL = "#";

	private static final Entry[] NONE = new Entry[0];

	private volatile Tree tree = new Tree();

	/** The subscriptions with a filter matching {@code topic}, each once. */
	public List<PushSubscription> match(String topic) {
		Matches found = new Matches();
		collect(this.tree.root, topic.split("/", -1), 0, topic.startsWith("$"), found);
		return found.subscriptions;
	}

	/** How many subscriptions the index holds. */
	public int size() {
		return this.tree.entries.size();
	}

	/** Add {@code subscription}, or replace the one with its id (and its filters). */
	public synchronized void put(PushSubscription subscription) {
		Tree current = this.tree;
		remove(current, subscription.id());
		Entry entry = new Entry(subscription);
		current.entries.put(subscription.id(), entry);
		for (String filter : subscription.filters()) {
			Node node = current.node(filter);
			node.entries = append(node.entries, entry);
		}
	}

	/** Remove the subscription with {@code id}, if the index holds it. */
	public synchronized void remove(UUID id) {
		remove(this.tree, id);
	}

	/** Replace everything with {@code subscriptions}, at once for readers. */
	public synchronized void replaceAll(Collection<PushSubscription> subscriptions) {
		Tree fresh = new Tree();
		Map<Node, List<Entry>> ending = new IdentityHashMap<>();
		for (PushSubscription subscription : subscriptions) {
			Entry entry = new Entry(subscription);
			fresh.entries.put(subscription.id(), entry);
			for (String filter : subscription.filters()) {
				ending.computeIfAbsent(fresh.node(filter), (node) -> new ArrayList<>()).add(entry);
			}
		}
		ending.forEach((node, entries) -> node.entries = entries.toArray(NONE));
		this.tree = fresh;
	}

	private static void collect(Node node, String[] levels, int index, boolean dollar, Matches found) {
		boolean wildcardsAllowed = index > 0 || !dollar;
		if (wildcardsAllowed) {
			// '#' matches the rest, the parent level included (a/# matches a).
			Node rest = node.children.get(MULTI_LEVEL);
			if (rest != null) {
				found.addAll(rest.entries);
			}
		}
		if (index == levels.length) {
			found.addAll(node.entries);
			return;
		}
		Node exact = node.children.get(levels[index]);
		if (exact != null) {
			collect(exact, levels, index + 1, dollar, found);
		}
		if (wildcardsAllowed) {
			Node any = node.children.get(SINGLE_LEVEL);
			if (any != null) {
				collect(any, levels, index + 1, dollar, found);
			}
		}
	}

	private static void remove(Tree tree, UUID id) {
		Entry old = tree.entries.remove(id);
		if (old == null) {
			return;
		}
		for (String filter : old.subscription.filters()) {
			prune(tree.root, filter.split("/", -1), 0, old);
		}
	}

	/**
	 * Removes {@code entry} at the end of the path, and the nodes left empty on the way.
	 */
	private static boolean prune(Node node, String[] levels, int index, Entry entry) {
		if (index == levels.length) {
			node.entries = without(node.entries, entry);
		}
		else {
			@Nullable Node child = node.children.get(levels[index]);
			if (child != null && prune(child, levels, index + 1, entry)) {
				node.children.remove(levels[index]);
			}
		}
		return node.entries.length == 0 && node.children.isEmpty();
	}

	private static Entry[] append(Entry[] entries, Entry entry) {
		Entry[] longer = Arrays.copyOf(entries, entries.length + 1);
		longer[entries.length] = entry;
		return longer;
	}

	private static Entry[] without(Entry[] entries, Entry entry) {
		return Arrays.stream(entries).filter((kept) -> kept != entry).toArray(Entry[]::new);
	}

	/** A subscription in the tree, the same object at the end of each of its filters. */
	private static final class Entry {

		private final PushSubscription subscription;

		private final boolean severalFilters;

		private Entry(PushSubscription subscription) {
			this.subscription = subscription;
			this.severalFilters = subscription.filters().size() > 1;
		}

	}

	/** What one match found so far. */
	private static final class Matches {

		private final List<PushSubscription> subscriptions = new ArrayList<>();

		private @Nullable Set<Entry> seenWithSeveralFilters;

		private void addAll(Entry[] entries) {
			for (Entry entry : entries) {
				if (!entry.severalFilters || seen().add(entry)) {
					this.subscriptions.add(entry.subscription);
				}
			}
		}

		private Set<Entry> seen() {
			Set<Entry> seen = this.seenWithSeveralFilters;
			if (seen == null) {
				seen = Collections.newSetFromMap(new IdentityHashMap<>());
				this.seenWithSeveralFilters = seen;
			}
			return seen;
		}

	}

	private static final class Tree {

		private final Node root = new Node();

		private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

		private Node node(String filter) {
			Node node = this.root;
			for (String level : filter.split("/", -1)) {
				node = node.children.computeIfAbsent(level, (key) -> new Node());
			}
			return node;
		}

	}

	private static final class Node {

		private final Map<String, Node> children = new ConcurrentHashMap<>();

		private volatile Entry[] entries = NONE;

	}

}
