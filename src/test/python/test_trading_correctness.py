"""Trading correctness against textbook definitions: each case is a defect a paper trader must not have."""

import json
import math
import unittest

from strategy_support import agent_input, csv_market, run_script, scripted_strategy
import agent_runtime
import mean_reversion
import pairs_trading

RISK = {"maxPositionFraction": 0.1, "stopLoss": 0.05, "takeProfit": 0.1, "kellyFraction": 0.5, "maxDrawdown": 0.2}
PAIRS = {"lookback": 10, "entryZ": 2.0, "exitZ": 0.5}


def grouped_strategy():
    """A custom strategy whose signals come from parameters, with an optional group per signal:
    {"script": {tick: [[symbol, action, strength, group or null]]}}."""
    def generate_signals(ctx):
        steps = ctx["parameters"]["script"].get(str(ctx["tick"]), [])
        return [{"symbol": s, "action": a, "strength": k, "reason": "script", "group": g} for s, a, k, g in steps]
    return {"generate_signals": generate_signals, "validate_parameters": lambda params: dict(params)}


def run_ticks(rows, strategy, ticks, state=None, first_tick=0, **overrides):
    results = []
    for tick in range(first_tick, first_tick + ticks):
        document = agent_input("custom", tick, state, marketData=csv_market(rows), **overrides)
        result = agent_runtime.run_tick(json.loads(json.dumps(document)), strategy)
        results.append(result)
        state = json.loads(json.dumps(result["state"]))
    return results


def gross(result):
    return sum(abs(p["quantity"]) * p["marketPrice"] for p in result["portfolio"]["positions"])


class PairsFlatLegTest(unittest.TestCase):
    def test_a_constant_leg_holds_with_a_reason(self):
        # B is halted at 50 for the whole lookback: least squares has no hedge ratio to find.
        rows = ["t%02d,AAA,%d" % (t, 100 + t % 3) for t in range(12)] + ["t%02d,BBB,50" % t for t in range(12)]
        results, state = [], None
        for tick in range(12):
            document = agent_input("pairs_trading", tick, state, symbols=[], pairs=[["AAA", "BBB"]],
                                   parameters=PAIRS, marketData=csv_market(rows))
            result = agent_runtime.run_tick(document, pairs_trading)
            results.append(result)
            state = result["state"]
        last = results[-1]["signals"]
        self.assertEqual([s["action"] for s in last], ["hold", "hold"])
        self.assertIn("BBB is flat", last[0]["reason"])

    def test_a_nearly_constant_series_is_flat(self):
        # A millionth of a dollar on 100 is rounding, not a 4-sigma move.
        prices = [100.0] * 19 + [100.000001]
        self.assertIsNone(agent_runtime.zscore(prices))
        self.assertEqual(mean_reversion.mean_reversion_signal("AAA", prices, 0, 20, 2.0, 0.5)["action"], "hold")


class FlattenTest(unittest.TestCase):
    def test_drawdown_sells_longs_first_and_covers_every_short(self):
        tick0 = run_ticks(["t0,AAA,100", "t0,ZZZ,100"], scripted_strategy(), 1, symbols=["AAA", "ZZZ"],
                          parameters={"script": {}}, risk=RISK)[0]
        state = tick0["state"]
        state.update(cash=10000.0, positions={"AAA": {"quantity": -100.0, "avgPrice": 100.0},
                                              "ZZZ": {"quantity": 1000.0, "avgPrice": 100.0}})
        rows = ["t0,AAA,100", "t0,ZZZ,100", "t1,AAA,150", "t1,ZZZ,70", "t2,AAA,150", "t2,ZZZ,70"]
        results = run_ticks(rows, scripted_strategy(), 2, state=state, first_tick=1, symbols=["AAA", "ZZZ"],
                            parameters={"script": {}}, risk=RISK)
        halted = results[0]
        self.assertTrue(halted["halted"])
        self.assertEqual([(f["symbol"], f["side"], f["quantity"]) for f in halted["fills"]],
                         [("ZZZ", "sell", 1000.0), ("AAA", "buy", 100.0)])
        self.assertEqual(halted["portfolio"]["positions"], [])
        self.assertEqual(halted["portfolio"]["cash"], 65000.0)
        self.assertEqual(results[1]["portfolio"]["positions"], [])


class GroupedPositionTest(unittest.TestCase):
    SYMBOLS = ["AAA", "BBB", "CCC", "DDD"]

    def run_grouped(self, rows, script, ticks, **risk):
        return run_ticks(rows, grouped_strategy(), ticks, symbols=self.SYMBOLS, parameters={"script": script},
                         risk=dict(RISK, **risk))

    def test_legs_open_together_or_not_at_all(self):
        rows = ["t%d,%s,100" % (t, s) for t in range(2) for s in self.SYMBOLS]
        script = {"0": [["CCC", "buy", 1.0, None], ["DDD", "buy", 1.0, None]],
                  "1": [["AAA", "sell", 1.0, "AAA/BBB"], ["BBB", "buy", 1.0, "AAA/BBB"]]}
        results = self.run_grouped(rows, script, 2, maxPositionFraction=1.0)
        self.assertEqual(results[0]["portfolio"]["cash"], 0.0)
        # No cash for the long leg, so the short leg must not fill alone.
        self.assertEqual(results[1]["fills"], [])

    def test_legs_scale_down_together(self):
        rows = ["t%d,%s,100" % (t, s) for t in range(2) for s in self.SYMBOLS]
        script = {"0": [["CCC", "buy", 1.0, None], ["DDD", "buy", 0.6, None]],
                  "1": [["AAA", "sell", 1.0, "AAA/BBB"], ["BBB", "buy", 1.0, "AAA/BBB"]]}
        fills = self.run_grouped(rows, script, 2, maxPositionFraction=1.0)[1]["fills"]
        self.assertEqual([(f["symbol"], f["side"]) for f in fills], [("AAA", "sell"), ("BBB", "buy")])
        self.assertEqual(fills[0]["quantity"], fills[1]["quantity"])
        self.assertEqual(fills[1]["quantity"], 200.0)  # the 20000 cash left buys 200 of the 500 wanted

    def test_stop_loss_judges_and_closes_the_pair(self):
        rows = ["t0,AAA,100", "t0,BBB,100", "t1,AAA,94", "t1,BBB,94", "t2,AAA,90", "t2,BBB,100"]
        script = {"0": [["AAA", "buy", 1.0, "AAA/BBB"], ["BBB", "sell", 1.0, "AAA/BBB"]]}
        results = run_ticks(rows, grouped_strategy(), 3, symbols=["AAA", "BBB"], parameters={"script": script},
                            risk=RISK)
        # AAA alone is down 6%, but the hedged pair is flat: nothing exits.
        self.assertEqual(results[1]["fills"], [])
        # AAA -10%, BBB short 0%: the pair is down 5% on its entry notional and closes as one trade.
        fills = results[2]["fills"]
        self.assertEqual(sorted((f["symbol"], f["side"]) for f in fills), [("AAA", "sell"), ("BBB", "buy")])
        self.assertTrue(all(f["reason"].startswith("stop-loss") for f in fills))
        self.assertEqual(results[2]["portfolio"]["positions"], [])
        self.assertEqual(results[2]["performance"]["trades"], 1)

    def test_closing_one_leg_closes_the_pair(self):
        rows = ["t0,AAA,100", "t0,BBB,100", "t1,AAA,101", "t1,BBB,101"]
        script = {"0": [["AAA", "buy", 1.0, "AAA/BBB"], ["BBB", "sell", 1.0, "AAA/BBB"]],
                  "1": [["AAA", "sell", 1.0, None]]}
        result = run_ticks(rows, grouped_strategy(), 2, symbols=["AAA", "BBB"], parameters={"script": script},
                           risk=RISK)[1]
        self.assertEqual(result["portfolio"]["positions"], [])
        self.assertEqual(result["performance"]["trades"], 1)

    def test_overlapping_pairs_leave_each_other_alone(self):
        ctx = {"pairs": [["AAA", "BBB"], ["AAA", "CCC"]], "parameters": PAIRS, "memory": {},
               "quotes": {s: {"price": 100.0, "venues": {}} for s in ("AAA", "BBB", "CCC")},
               "prices": {"AAA": [100.0 + (i % 3) for i in range(12)], "BBB": [50.0 + (i % 2) for i in range(12)],
                          "CCC": [100.0 + (i % 3) * 0.5 for i in range(12)]},
               "portfolio": {"positions": {
                   "AAA": {"quantity": -10.0, "avgPrice": 100.0, "marketPrice": 100.0, "group": "AAA/BBB"},
                   "BBB": {"quantity": 20.0, "avgPrice": 50.0, "marketPrice": 50.0, "group": "AAA/BBB"}}}}
        signals = pairs_trading.generate_signals(ctx)
        other = [s for s in signals if s["group"] == "AAA/CCC"]
        self.assertEqual([s["action"] for s in other], ["hold", "hold"])
        self.assertIn("held by AAA/BBB", other[0]["reason"])


class PairsAlignmentTest(unittest.TestCase):
    def test_prices_are_compared_at_the_same_timestamps(self):
        # A = 2 x B exactly, but the feed skips B at t05: the hedge ratio is still exactly 2.
        b = [50.0 + 3 * (t % 4) + t for t in range(14)]
        rows = ["t%02d,AAA,%s" % (t, 2 * b[t]) for t in range(14)]
        rows += ["t%02d,BBB,%s" % (t, b[t]) for t in range(14) if t != 5]
        state = None
        for tick in range(14):
            document = agent_input("pairs_trading", tick, state, symbols=[], pairs=[["AAA", "BBB"]],
                                   parameters=PAIRS, marketData=csv_market(rows))
            result = agent_runtime.run_tick(document, pairs_trading)
            state = result["state"]
        self.assertAlmostEqual(state["memory"]["hedgeRatios"]["AAA/BBB"], 2.0, places=6)
        self.assertEqual(result["fills"], [])


class PairsExitTest(unittest.TestCase):
    B = [float(x) for x in range(1, 13)]

    def spread(self, pattern):
        return [3.0 + 2.0 * b + 1.5 * e for b, e in zip(self.B, pattern * 3)]

    def test_exit_z_zero_exits_when_z_crosses_zero(self):
        params = {"lookback": 12, "entryZ": 3.0, "exitZ": 0.0}
        # A short spread (short A, long B) whose z is now -1: it went through zero, so it closes.
        legs, _ = pairs_trading.pair_signals("KO", "PEP", self.spread([-1, 1, 1, -1]), self.B, -10, 20, params)
        self.assertEqual([s["action"] for s in legs], ["buy", "sell"])
        # A long spread at z -1 is still below -exitZ: it stays open.
        legs, _ = pairs_trading.pair_signals("KO", "PEP", self.spread([-1, 1, 1, -1]), self.B, 10, -20, params)
        self.assertEqual([s["action"] for s in legs], ["hold", "hold"])

    def test_negative_hedge_ratio_puts_both_legs_on_the_same_side(self):
        a = [300.0 - 2.0 * b + 1.5 * e for b, e in zip(self.B, [1, -1, -1, 1] * 3)]
        legs, beta = pairs_trading.pair_signals("KO", "PEP", a, self.B, 0, 0, {"lookback": 12, "entryZ": 0.9,
                                                                                 "exitZ": 0.5})
        self.assertLess(beta, 0)
        # Short the spread A - beta x B = A + 2B: sell both.
        self.assertEqual([s["action"] for s in legs], ["sell", "sell"])


class ReentryTest(unittest.TestCase):
    def test_a_stop_loss_is_not_undone_in_the_same_tick(self):
        script = {"0": [["AAA", "buy", 1.0]], "1": [["AAA", "buy", 1.0]]}
        results = run_script(["t0,AAA,100", "t1,AAA,94"], script, 2)
        self.assertEqual([(f["side"], f["reason"][:9]) for f in results[1]["fills"]], [("sell", "stop-loss")])
        self.assertEqual(results[1]["portfolio"]["positions"], [])


class ExposureTest(unittest.TestCase):
    def test_shorts_are_capped_by_gross_exposure(self):
        symbols = ["S%d" % i for i in range(5)]
        rows = ["t0,%s,100" % s for s in symbols]
        script = {"0": [[s, "sell", 1.0] for s in symbols]}
        result = run_script(rows, script, 1, risk={"maxPositionFraction": 1.0}, symbols=symbols)[0]
        equity = result["portfolio"]["equity"]
        self.assertLessEqual(gross(result), agent_runtime.MAX_GROSS_EXPOSURE * equity + 1e-6)
        self.assertEqual(len(result["fills"]), 4)  # 4 x 50000 = 2 x equity


class PriceBoundsTest(unittest.TestCase):
    def test_prices_that_round_to_zero_are_rejected(self):
        with self.assertRaises(agent_runtime.MarketDataError) as caught:
            agent_runtime.parse_price_csv("t0,AAA,0.0000004\n")
        self.assertIn("at least", str(caught.exception))

        def generate_signals(ctx):
            return [{"symbol": "AAA", "action": "hold", "strength": 0.0, "price": 0.0000004, "reason": "tiny"}]
        with self.assertRaises(ValueError) as caught:
            agent_runtime.run_tick(agent_input("custom", 0, None, symbols=["AAA"], marketData=csv_market(["t0,AAA,1"])),
                                   {"generate_signals": generate_signals, "validate_parameters": dict})
        self.assertIn("signal #0.price", str(caught.exception))

    def test_huge_prices_are_rejected(self):
        for price in ("1e200", "1e306"):
            with self.assertRaises(agent_runtime.MarketDataError) as caught:
                agent_runtime.parse_price_csv("t0,AAA,%s\n" % price)
            self.assertIn("at most", str(caught.exception))

    def test_the_largest_price_keeps_every_figure_finite(self):
        rows = ["t0,AAA,0.000001", "t1,AAA,1000000000"]
        results = run_script(rows, {"0": [["AAA", "buy", 1.0]]}, 2, risk={"takeProfit": 100.0, "stopLoss": 0.99})
        line = agent_runtime.format_result(results[1])
        self.assertNotIn("NaN", line)
        self.assertNotIn("Infinity", line)
        self.assertTrue(math.isfinite(results[1]["performance"]["totalReturn"]))


class CsvHeaderTest(unittest.TestCase):
    def test_byte_order_mark_and_leading_blank_line(self):
        for text in ("\ufefftimestamp,symbol,price\nt0,AAA,1\n", "\n\ntimestamp,symbol,price\nt0,AAA,1\n"):
            timestamps, table = agent_runtime.parse_price_csv(text)
            self.assertEqual(timestamps, ["t0"])
            self.assertEqual(table["t0"]["AAA"]["price"], 1.0)

    def test_http_csv_uses_the_newest_timestamp(self):
        market = agent_runtime.make_market({"type": "http", "url": "http://127.0.0.1:1/q", "format": "csv"})
        text = ("timestamp,symbol,price\n2026-03-02T14:32:00Z,AAA,102\n2026-03-02T14:31:00Z,AAA,101\n")
        self.assertEqual(market.parse(text)["AAA"]["price"], 102.0)
        self.assertEqual(market.parse("1700000060,AAA,5\n1700000000,AAA,4\n")["AAA"]["price"], 5.0)


class RestoredStateTest(unittest.TestCase):
    def test_another_seed_starts_the_series_afresh(self):
        first = agent_runtime.run_tick(agent_input("custom", 0, None, symbols=["AAA"]), scripted_strategy())
        synthetic = {"type": "synthetic", "seed": 7, "volatility": 0.02, "drift": 0.0}
        resumed = agent_runtime.run_tick(agent_input("custom", 1, first["state"], symbols=["AAA"],
                                                     marketData=synthetic), scripted_strategy())
        fresh = agent_runtime.run_tick(agent_input("custom", 1, None, symbols=["AAA"], marketData=synthetic),
                                       scripted_strategy())
        self.assertEqual(resumed["state"]["windows"], fresh["state"]["windows"])

    def test_another_strategy_does_not_inherit_memory(self):
        def remembering(ctx):
            ctx["memory"]["mine"] = True
            return []
        first = agent_runtime.run_tick(agent_input("custom", 0, None), {"generate_signals": remembering,
                                                                       "validate_parameters": dict})
        seen = []

        def looking(ctx):
            seen.append(dict(ctx["memory"]))
            return []
        agent_runtime.run_tick(agent_input("momentum", 1, first["state"]), {"generate_signals": looking,
                                                                           "validate_parameters": dict})
        self.assertEqual(seen, [{}])


class TradeCountingTest(unittest.TestCase):
    def test_a_short_is_covered_in_full_as_one_trade(self):
        rows = ["t0,AAA,100", "t0,BBB,100", "t1,AAA,250", "t1,BBB,100"]
        script = {"0": [["AAA", "sell", 1.0], ["BBB", "buy", 1.0]], "1": [["AAA", "buy", 1.0]]}
        results = run_script(rows, script, 2, symbols=("AAA", "BBB"),
                             risk={"maxPositionFraction": 1.0, "stopLoss": 0.99, "takeProfit": 100.0,
                                   "maxDrawdown": 0.99})
        # 500 short at 100 (cash 150000, BBB costs 50000): the cover at 250 costs 125000 of the 100000 cash.
        cover = results[1]["fills"]
        self.assertEqual([(f["symbol"], f["side"], f["quantity"]) for f in cover], [("AAA", "buy", 500.0)])
        self.assertEqual([p["symbol"] for p in results[1]["portfolio"]["positions"]], ["BBB"])
        self.assertEqual(results[1]["performance"]["trades"], 1)
        self.assertEqual(results[1]["portfolio"]["cash"], -25000.0)

    def test_a_break_even_trade_is_not_a_loss(self):
        script = {"0": [["AAA", "buy", 1.0]], "1": [["AAA", "sell", 1.0]]}
        state = run_script(["t0,AAA,100", "t1,AAA,100"], script, 2)[1]["state"]
        self.assertEqual((state["trades"]["count"], state["trades"]["wins"], state["trades"]["losses"]), (1, 0, 0))

    def test_kelly_payoff_uses_returns(self):
        # A 10% win on 1000 and a 1% loss on 10000: 100 dollars each, but R = 10 in returns.
        portfolio = agent_runtime.Portfolio(100000.0)
        portfolio._closed_trade(100.0, 1000.0)
        portfolio._closed_trade(-100.0, 10000.0)
        stats = portfolio.stats
        self.assertAlmostEqual(stats["winReturn"] / stats["lossReturn"], 10.0)
        self.assertAlmostEqual(agent_runtime.kelly_estimate(2, 1, stats["winReturn"], stats["lossReturn"], 1),
                               0.5 - 0.5 / 10.0)


class CostsTest(unittest.TestCase):
    def test_arbitrage_legs_pay_slippage(self):
        import arbitrage
        document = agent_input("arbitrage", 0, None, symbols=["AAA"], parameters={"feeThreshold": 0.0},
                               risk=dict(RISK, slippage=0.001),
                               marketData=csv_market(["t0,AAA,100,A", "t0,AAA,101,B"]))
        fills = agent_runtime.run_tick(document, arbitrage)["fills"]
        self.assertEqual([(f["side"], f["price"]) for f in fills], [("buy", 100.1), ("sell", 100.899)])


class AnnualisationTest(unittest.TestCase):
    def test_sharpe_uses_the_ticks_per_year_sent(self):
        script = {"0": [["AAA", "buy", 1.0]]}
        rows = ["t0,AAA,100", "t1,AAA,101", "t2,AAA,99", "t3,AAA,102"]
        per_minute = run_script(rows, script, 4)[-1]["performance"]["sharpe"]
        results, state = [], None
        for tick in range(4):
            document = agent_input("custom", tick, state, symbols=["AAA"], parameters={"script": script},
                                   risk=RISK, marketData=csv_market(rows), ticksPerYear=252)
            result = agent_runtime.run_tick(document, scripted_strategy())
            state = result["state"]
        self.assertAlmostEqual(result["performance"]["sharpe"], per_minute / math.sqrt(390), places=3)


if __name__ == "__main__":
    unittest.main()
