"""Market observations: realized volatility, volume and spread per tick."""

import json
import math
import unittest

from strategy_support import agent_input, csv_market, scripted_strategy
import agent_runtime


def tick(document, strategy=None):
    return agent_runtime.run_tick(json.loads(json.dumps(document)), strategy)


class VolatilityTest(unittest.TestCase):
    def test_sample_stdev_of_the_last_window_returns(self):
        prices = [100.0, 50.0, 100.0, 110.0, 99.0]
        # Returns over window 2 are the last two: +10% and -10%; their sample stdev is sqrt(0.02).
        self.assertAlmostEqual(agent_runtime.realized_volatility(prices, 2), math.sqrt(0.02), places=12)
        returns = [-0.5, 1.0, 0.1, -0.1]
        mu = sum(returns) / 4
        expected = math.sqrt(sum((r - mu) ** 2 for r in returns) / 3)
        self.assertAlmostEqual(agent_runtime.realized_volatility(prices, 10), expected, places=12)

    def test_needs_two_returns_and_flat_is_zero(self):
        self.assertIsNone(agent_runtime.realized_volatility([100.0, 101.0], 20))
        self.assertIsNone(agent_runtime.realized_volatility([], 20))
        self.assertEqual(agent_runtime.realized_volatility([5.0] * 30, 20), 0.0)

    def test_window_comes_from_the_strategy_parameters(self):
        self.assertEqual(agent_runtime.observation_window({"windowSize": 30, "stddevs": 2.0}), 30)
        self.assertEqual(agent_runtime.observation_window({"lookback": 60}), 60)
        self.assertEqual(agent_runtime.observation_window({"period": 1}), 2)
        self.assertEqual(agent_runtime.observation_window({"period": 10_000}), agent_runtime.WINDOW_SIZE - 1)
        self.assertEqual(agent_runtime.observation_window({"feeThreshold": 0.002}),
                         agent_runtime.DEFAULT_OBSERVATION_WINDOW)
        self.assertEqual(agent_runtime.observation_window({"period": "ten", "lookback": True}),
                         agent_runtime.DEFAULT_OBSERVATION_WINDOW)


class SpreadTest(unittest.TestCase):
    def test_bid_ask_first_then_venues(self):
        self.assertAlmostEqual(agent_runtime.relative_spread({"bid": 99.0, "ask": 101.0, "venues": {"A": 1, "B": 9}}),
                               0.02, places=12)
        self.assertAlmostEqual(agent_runtime.relative_spread({"venues": {"A": 99.0, "B": 101.0, "C": 100.0}}),
                               0.02, places=12)
        self.assertIsNone(agent_runtime.relative_spread({"venues": {"A": 100.0}}))
        self.assertIsNone(agent_runtime.relative_spread({"price": 100.0, "venues": {}}))


class SyntheticVolumeAndSpreadTest(unittest.TestCase):
    def market(self, **extra):
        config = {"type": "synthetic", "seed": 42}
        config.update(extra)
        return agent_runtime.SyntheticMarket(config)

    def test_deterministic_and_bounded(self):
        a, b = self.market(), self.market()
        quotes_a, _ = a.advance(["AAPL", "KO"], 3, {}, {})
        quotes_b, _ = b.advance(["AAPL", "KO"], 3, {}, {})
        self.assertEqual(quotes_a, quotes_b)
        for quote in quotes_a.values():
            self.assertGreater(quote["volume"], 0)
            self.assertLess(quote["bid"], quote["ask"])
            self.assertLessEqual(quote["bid"], quote["price"])
            self.assertGreaterEqual(quote["ask"], quote["price"])
            spread = agent_runtime.relative_spread(quote)
            self.assertTrue(0.0001 <= spread <= 0.05, spread)
        other, _ = self.market(seed=43).advance(["AAPL"], 3, {}, {})
        self.assertNotEqual(other["AAPL"]["volume"], quotes_a["AAPL"]["volume"])

    def test_pinned_values(self):
        # Golden values: a change here changes what every seeded fleet scales on.
        market = self.market()
        self.assertEqual(market.volume("AAPL", 1), 1032623)
        self.assertEqual(market.bid_ask("AAPL", 1, 100.0), (99.979127, 100.020873))
        # Prices and venue quotes are those of before: volume and spread have their own streams.
        self.assertEqual(market.next_price("AAPL", 1, 73.217284), 73.432577)
        self.assertEqual(market.venues("AAPL", 1, 100.0), {"A": 99.990445, "B": 99.990921})

    def test_busier_and_wider_on_larger_moves(self):
        market = self.market(volatility=0.02)
        moves, volumes, spreads = [], [], []
        for step in range(1, 400):
            moves.append(abs(market.step_return("AAPL", step)))
            volumes.append(market.volume("AAPL", step))
            bid, ask = market.bid_ask("AAPL", step, 100.0)
            spreads.append(ask - bid)
        ranked = sorted(range(len(moves)), key=moves.__getitem__)
        calm, wild = ranked[:100], ranked[-100:]
        self.assertGreater(sum(volumes[i] for i in wild), 1.5 * sum(volumes[i] for i in calm))
        self.assertGreater(sum(spreads[i] for i in wild), 1.5 * sum(spreads[i] for i in calm))


class TickObservationsTest(unittest.TestCase):
    def test_a_tick_reports_every_quoted_symbol(self):
        result = tick(agent_input("momentum", 0, None), _momentum())
        observations = result["observations"]
        self.assertEqual([o["symbol"] for o in observations], ["AAPL", "MSFT"])
        for item in observations:
            self.assertEqual(set(item), {"symbol", "window", "volatility", "volume", "spread"})
            self.assertEqual(item["window"], 10)  # momentum's period
            self.assertGreater(item["volatility"], 0)
        # The figure is the one computed from the strategy's own price window.
        prices = result["state"]["windows"]["AAPL"]
        self.assertAlmostEqual(observations[0]["volatility"],
                               agent_runtime.realized_volatility(prices, 10), places=6)

    def test_synthetic_volatility_scales_the_observation(self):
        calm = tick(agent_input("momentum", 0, None, marketData={"type": "synthetic", "seed": 5, "volatility": 0.01}),
                    _momentum())
        wild = tick(agent_input("momentum", 0, None, marketData={"type": "synthetic", "seed": 5, "volatility": 0.05}),
                    _momentum())
        self.assertGreater(wild["observations"][0]["volatility"], 3 * calm["observations"][0]["volatility"])

    def test_csv_spread_from_venues_and_no_volume(self):
        rows = ["%d,AAA,%s,A\n%d,AAA,%s,B" % (t, 100 + t, t, 100.2 + t) for t in range(5)]
        market = csv_market(["\n".join(rows)])
        result = tick(agent_input("custom", 4, None, symbols=["AAA"], parameters={"script": {}},
                                  marketData=market), scripted_strategy())
        (item,) = result["observations"]
        self.assertNotIn("volume", item)
        self.assertAlmostEqual(item["spread"], 0.2 / 104.1, places=8)
        self.assertEqual(item["window"], agent_runtime.DEFAULT_OBSERVATION_WINDOW)
        self.assertIn("volatility", item)

    def test_a_symbol_without_a_quote_is_not_observed(self):
        rows = ["0,AAA,10", "0,BBB,20", "1,AAA,11"]
        results, state = [], None
        for n in range(2):
            result = tick(agent_input("custom", n, state, symbols=["AAA", "BBB"], parameters={"script": {}},
                                      marketData=csv_market(rows)), scripted_strategy())
            state = result["state"]
            results.append(result)
        self.assertEqual([o["symbol"] for o in results[1]["observations"]], ["AAA"])
        self.assertEqual(set(results[1]["observations"][0]), {"symbol", "window"})


class HttpQuoteFieldsTest(unittest.TestCase):
    def http(self):
        return agent_runtime.HttpMarket({"type": "http", "url": "https://example.invalid/q"})

    def test_volume_bid_and_ask_are_read(self):
        quotes = self.http().parse(json.dumps({"AAPL": {"price": 100, "volume": 1500000, "bid": 99.9, "ask": 100.1}}))
        self.assertEqual(quotes["AAPL"]["volume"], 1500000.0)
        self.assertEqual((quotes["AAPL"]["bid"], quotes["AAPL"]["ask"]), (99.9, 100.1))

    def test_bad_values_are_rejected_with_the_field_named(self):
        cases = {
            json.dumps({"AAPL": {"price": 100, "volume": -1}}): "AAPL.volume",
            json.dumps({"AAPL": {"price": 100, "bid": 101, "ask": 100}}): "AAPL.bid",
            json.dumps({"AAPL": {"price": 100, "bid": 99}}): "AAPL.ask",
            json.dumps({"AAPL": {"price": 100, "volume": "lots"}}): "AAPL.volume",
        }
        for body, field in cases.items():
            with self.assertRaises(agent_runtime.MarketDataError) as caught:
                self.http().parse(body)
            self.assertIn(field, str(caught.exception))


def _momentum():
    import momentum
    return momentum


if __name__ == "__main__":
    unittest.main()
