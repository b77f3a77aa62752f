package io.herald.push;

import org.springframework.data.relational.core.mapping.NamingStrategy;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;

/**
 * The tables of the migration for the stored subscription's classes. Given here rather
 * than in {@code @Table}, so that Spring Data treats them as derived names and writes
 * them in each database's own letter case (H2 upper, PostgreSQL lower), as the unquoted
 * names of the migration are.
 */
class PushTableNames implements NamingStrategy {

	@Override
	public String getTableName(Class<?> type) {
		if (type == SubscriptionRow.class) {
			return "push_subscription";
		}
		if (type == SubscriptionRow.FilterRow.class) {
			return "push_filter";
		}
		return NamingStrategy.super.getTableName(type);
	}

	@Override
	public String getReverseColumnName(RelationalPersistentEntity<?> owner) {
		if (owner.getType() == SubscriptionRow.class) {
			return "subscription_id";
		}
		return NamingStrategy.super.getReverseColumnName(owner);
	}

}
