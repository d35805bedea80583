"""Strategy math on hand-made series with known answers, and parameter validation."""

import math
import unittest

from strategy_support import agent_input, csv_market  # also puts the strategies folder on sys.path
import agent_runtime
import arbitrage
import mean_reversion
import momentum
import pairs_trading


class MomentumTest(unittest.TestCase):
    def test_rate_of_change(self):
        self.assertAlmostEqual(agent_runtime.rate_of_change([50.0, 55.0], 1), 0.1)
        self.assertAlmostEqual(agent_runtime.rate_of_change([100.0, 1.0, 2.0, 90.0], 3), -0.1)
        with self.assertRaises(ValueError):
            agent_runtime.rate_of_change([1.0, 2.0], 2)

    def test_buy_above_threshold_with_full_strength(self):
        prices = [100.0 + i for i in range(11)]  # ROC(10) = 110/100 - 1 = 0.10
        result = momentum.momentum_signal("AAPL", prices, 10, 0.02)
        self.assertEqual(result["action"], "buy")
        self.assertEqual(result["strength"], 1.0)
        self.assertEqual(result["price"], 110.0)

    def test_sell_below_negative_threshold_with_scaled_strength(self):
        result = momentum.momentum_signal("AAPL", [100.0, 99.0, 97.0], 2, 0.02)  # ROC -0.03
        self.assertEqual(result["action"], "sell")
        self.assertAlmostEqual(result["strength"], 0.75)

    def test_hold_inside_band_and_without_history(self):
        self.assertEqual(momentum.momentum_signal("AAPL", [100.0, 101.0], 1, 0.02)["action"], "hold")
        short = momentum.momentum_signal("AAPL", [100.0, 101.0], 5, 0.02)
        self.assertEqual(short["action"], "hold")
        self.assertIn("insufficient history", short["reason"])

    def test_parameters(self):
        self.assertEqual(momentum.validate_parameters({}), {"period": 10, "threshold": 0.02})
        self.assertEqual(momentum.validate_parameters({"period": 5.0, "threshold": 0.1}),
                         {"period": 5, "threshold": 0.1})
        for bad, field in (({"period": 0}, "period"), ({"period": 2.5}, "period"),
                           ({"period": 256}, "period"), ({"threshold": 0}, "threshold"),
                           ({"threshold": "0.02"}, "threshold"), ({"threshold": True}, "threshold"),
                           ({"lookback": 3}, "lookback")):
            with self.assertRaises(ValueError) as caught:
                momentum.validate_parameters(bad)
            self.assertIn(field, str(caught.exception))


class MeanReversionTest(unittest.TestCase):
    def test_zscore_known_values(self):
        self.assertAlmostEqual(agent_runtime.zscore([1, 2, 3, 4, 5]), 2 / math.sqrt(2))
        # mean 9.2, population stdev 1.6: z = (6 - 9.2) / 1.6 = -2
        self.assertAlmostEqual(agent_runtime.zscore([10, 10, 10, 10, 6]), -2.0)
        self.assertIsNone(agent_runtime.zscore([5, 5, 5]))

    def test_buy_below_minus_k(self):
        result = mean_reversion.mean_reversion_signal("KO", [10.0, 10.0, 10.0, 10.0, 6.0], 0.0, 5, 1.5, 0.5)
        self.assertEqual(result["action"], "buy")
        self.assertAlmostEqual(result["strength"], 2.0 / 3.0)

    def test_boundary_is_not_a_signal(self):
        result = mean_reversion.mean_reversion_signal("KO", [10.0, 10.0, 10.0, 10.0, 6.0], 0.0, 5, 2.0, 0.5)
        self.assertEqual(result["action"], "hold")

    def test_sell_above_k_uses_only_the_window(self):
        prices = [500.0, 10.0, 10.0, 10.0, 10.0, 14.0]  # window of 5 ignores the 500
        result = mean_reversion.mean_reversion_signal("KO", prices, 0.0, 5, 1.5, 0.5)
        self.assertEqual(result["action"], "sell")

    def test_exit_near_mean(self):
        near = [10.0, 11.0, 9.0, 10.0, 10.1]
        self.assertEqual(mean_reversion.mean_reversion_signal("KO", near, 5.0, 5, 2.0, 0.5)["action"], "sell")
        self.assertEqual(mean_reversion.mean_reversion_signal("KO", near, -5.0, 5, 2.0, 0.5)["action"], "buy")
        self.assertEqual(mean_reversion.mean_reversion_signal("KO", near, 0.0, 5, 2.0, 0.5)["action"], "hold")

    def test_parameters(self):
        self.assertEqual(mean_reversion.validate_parameters({}), {"windowSize": 20, "stddevs": 2.0, "exitZ": 0.5})
        for bad, field in (({"windowSize": 1}, "windowSize"), ({"stddevs": -1}, "stddevs"),
                           ({"exitZ": 2.0}, "exitZ"), ({"windowsize": 20}, "windowsize")):
            with self.assertRaises(ValueError) as caught:
                mean_reversion.validate_parameters(bad)
            self.assertIn(field, str(caught.exception))


class PairsTradingTest(unittest.TestCase):
    B = [float(x) for x in range(1, 13)]

    def test_hedge_ratio_of_exactly_linear_pair(self):
        a = [3.0 + 2.0 * b for b in self.B]
        beta, alpha = agent_runtime.least_squares(self.B, a)
        self.assertAlmostEqual(beta, 2.0)
        self.assertAlmostEqual(alpha, 3.0)
        beta, _, z = pairs_trading.spread_zscore(a, self.B, 12)
        self.assertAlmostEqual(beta, 2.0)
        self.assertIsNone(z)  # a perfect hedge leaves no spread to trade

    def _pair(self, pattern):
        # The residual pattern sums to zero and is orthogonal to B, so least
        # squares still finds beta 2, alpha 3 and the spread is 0.5 x pattern.
        noise = pattern * 3
        return [3.0 + 2.0 * b + 0.5 * e for b, e in zip(self.B, noise)]

    def test_spread_zscore_known_value(self):
        beta, alpha, z = pairs_trading.spread_zscore(self._pair([1, -1, -1, 1]), self.B, 12)
        self.assertAlmostEqual(beta, 2.0)
        self.assertAlmostEqual(alpha, 3.0)
        self.assertAlmostEqual(z, 1.0)

    def test_entry_short_and_long_spread(self):
        params = {"lookback": 12, "entryZ": 0.9, "exitZ": 0.5}
        legs, beta = pairs_trading.pair_signals("KO", "PEP", self._pair([1, -1, -1, 1]), self.B, 0, 0, params)
        self.assertEqual([(s["symbol"], s["action"]) for s in legs], [("KO", "sell"), ("PEP", "buy")])
        self.assertAlmostEqual(beta, 2.0)
        legs, _ = pairs_trading.pair_signals("KO", "PEP", self._pair([-1, 1, 1, -1]), self.B, 0, 0, params)
        self.assertEqual([(s["symbol"], s["action"]) for s in legs], [("KO", "buy"), ("PEP", "sell")])

    def test_no_reentry_and_close_inside_exit_band(self):
        params = {"lookback": 12, "entryZ": 0.9, "exitZ": 0.5}
        legs, _ = pairs_trading.pair_signals("KO", "PEP", self._pair([1, -1, -1, 1]), self.B, -10, 20, params)
        self.assertEqual([s["action"] for s in legs], ["hold", "hold"])
        # z = 1.0 is inside an exit band of 1.5: cover the short KO leg, sell the long PEP leg.
        closing = {"lookback": 12, "entryZ": 3.0, "exitZ": 1.5}
        legs, _ = pairs_trading.pair_signals("KO", "PEP", self._pair([1, -1, -1, 1]), self.B, -10, 20, closing)
        self.assertEqual([s["action"] for s in legs], ["buy", "sell"])

    def test_parameters(self):
        self.assertEqual(pairs_trading.validate_parameters({}), {"lookback": 60, "entryZ": 2.0, "exitZ": 0.5})
        for bad, field in (({"lookback": 5}, "lookback"), ({"entryZ": 0}, "entryZ"),
                           ({"entryZ": 1.0, "exitZ": 1.0}, "exitZ")):
            with self.assertRaises(ValueError) as caught:
                pairs_trading.validate_parameters(bad)
            self.assertIn(field, str(caught.exception))


class ArbitrageTest(unittest.TestCase):
    def test_buy_cheap_sell_rich(self):
        quote = {"price": 100.25, "venues": {"A": 100.0, "B": 100.5}}
        result = arbitrage.arbitrage_signal("BTC", quote, 0.002)
        self.assertEqual(result["action"], "buy")
        self.assertEqual(result["price"], 100.0)
        self.assertEqual(result["arbitrage"], {"buyVenue": "A", "sellVenue": "B", "fee": 0.002})
        self.assertEqual(result["strength"], 1.0)  # 0.5% spread >= 2 x 0.2% fee

    def test_spread_within_fees_holds(self):
        quote = {"price": 100.0, "venues": {"A": 100.1, "B": 100.0}}
        self.assertEqual(arbitrage.arbitrage_signal("BTC", quote, 0.002)["action"], "hold")
        self.assertEqual(arbitrage.arbitrage_signal("BTC", {"price": 1.0, "venues": {"A": 1.0}}, 0.0)["action"],
                         "hold")

    def test_net_profit_after_fees(self):
        # 10 x (100.5 - 100) = 5.00 gross, fee 0.002 x 10 x 100 = 2.00
        self.assertAlmostEqual(agent_runtime.arbitrage_net_profit(10, 100.0, 100.5, 0.002), 3.0)

    def test_paper_arbitrage_trade_in_a_tick(self):
        document = agent_input("arbitrage", 0, None, symbols=["AAA"],
                               marketData=csv_market(["t0,AAA,100,A", "t0,AAA,100.5,B"]))
        result = agent_runtime.run_tick(document, arbitrage)
        # 100000 x 0.05 prior fraction / 100 = 50 units: 50 x 0.5 gross - 0.002 x 5000 fees = 15
        self.assertEqual([(f["side"], f["quantity"], f["price"]) for f in result["fills"]],
                         [("buy", 50.0, 100.0), ("sell", 50.0, 100.5)])
        self.assertEqual(result["portfolio"], {"cash": 100015.0, "equity": 100015.0, "positions": []})
        self.assertEqual((result["performance"]["trades"], result["performance"]["winRate"]), (1, 1.0))
        self.assertEqual(result["performance"]["realizedPnl"], 15.0)

    def test_reversed_venues_are_not_traded(self):
        def generate_signals(ctx):
            return [{"symbol": "AAA", "action": "buy", "strength": 1.0, "reason": "backwards",
                     "arbitrage": {"buyVenue": "B", "sellVenue": "A", "fee": 0.0}}]
        document = agent_input("custom", 0, None, symbols=["AAA"],
                               marketData=csv_market(["t0,AAA,100,A", "t0,AAA,100.5,B"]))
        result = agent_runtime.run_tick(document, {"generate_signals": generate_signals,
                                                   "validate_parameters": dict})
        self.assertEqual(result["fills"], [])
        self.assertEqual(result["portfolio"]["cash"], 100000.0)

    def test_parameters(self):
        self.assertEqual(arbitrage.validate_parameters(None), {"feeThreshold": 0.002})
        for bad in ({"feeThreshold": -0.001}, {"feeThreshold": 0.1}, {"feeThreshold": "0"}, {"fee": 0.1}):
            with self.assertRaises(ValueError):
                arbitrage.validate_parameters(bad)


if __name__ == "__main__":
    unittest.main()
