package io.herald.push;

import io.herald.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** The subscription store on H2 in its PostgreSQL mode, Herald's default database. */
class PushSubscriptionsH2Tests extends SubscriptionStoreContract {

	@BeforeAll
	static void start() {
		startInstances(TestDatabase.inMemoryUrl(), "sa");
	}

}
