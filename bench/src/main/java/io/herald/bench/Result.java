package io.herald.bench;

import java.util.EnumMap;
import java.util.Map;

/**
 * The figures of one scenario run against one target in one round.
 */
record Result(String scenario, String target, int round, Map<Figure, Double> figures) {

	Result(String scenario, String target, int round) {
		this(scenario, target, round, new EnumMap<>(Figure.class));
	}

	void put(Figure figure, double value) {
		this.figures.put(figure, value);
	}

	double get(Figure figure) {
		return this.figures.getOrDefault(figure, Double.NaN);
	}

}
