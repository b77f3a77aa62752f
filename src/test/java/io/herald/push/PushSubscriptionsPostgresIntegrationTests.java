package io.herald.push;

import io.herald.support.PostgresProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The subscription store on a real PostgreSQL server, the production database. */
class PushSubscriptionsPostgresIntegrationTests extends SubscriptionStoreContract {

	private static PostgresProcess postgres;

	@BeforeAll
	static void start() {
		postgres = PostgresProcess.start();
		startInstances(postgres.createDatabase("herald_store"), PostgresProcess.USER);
	}

	@AfterAll
	static void stop() {
		stopInstances();
		if (postgres != null) {
			postgres.close();
		}
	}

}
