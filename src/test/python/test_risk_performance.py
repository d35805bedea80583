"""Position sizing, Kelly, exits, drawdown halt and performance metrics."""

import math
import unittest

from strategy_support import run_script
import agent_runtime

RISK = {"maxPositionFraction": 0.1, "stopLoss": 0.05, "takeProfit": 0.1, "kellyFraction": 0.5, "maxDrawdown": 0.2}


def stats(count, wins, gross_win, gross_loss):
    return {"count": count, "wins": wins, "grossWin": gross_win, "grossLoss": gross_loss}


class KellyTest(unittest.TestCase):
    def test_kelly_estimate(self):
        # W = 0.6, average win 100, average loss 50 -> R = 2, f* = 0.6 - 0.4 / 2 = 0.4
        self.assertAlmostEqual(agent_runtime.kelly_estimate(10, 6, 600.0, 200.0), 0.4)
        self.assertAlmostEqual(agent_runtime.kelly_estimate(10, 3, 300.0, 700.0), 0.3 - 0.7 / 1.0)
        self.assertEqual(agent_runtime.kelly_estimate(10, 0, 0.0, 500.0), 0.0)
        self.assertEqual(agent_runtime.kelly_estimate(10, 10, 500.0, 0.0), 1.0)

    def test_prior_before_minimum_trades(self):
        self.assertAlmostEqual(agent_runtime.position_fraction(RISK, stats(9, 9, 900.0, 0.0)), 0.05)

    def test_capped_by_max_position_fraction(self):
        # kellyFraction 0.5 x 0.4 = 0.2 > cap 0.1
        self.assertAlmostEqual(agent_runtime.position_fraction(RISK, stats(10, 6, 600.0, 200.0)), 0.1)
        wide = dict(RISK, maxPositionFraction=0.5)
        self.assertAlmostEqual(agent_runtime.position_fraction(wide, stats(10, 6, 600.0, 200.0)), 0.2)

    def test_negative_edge_is_floored(self):
        self.assertAlmostEqual(agent_runtime.position_fraction(RISK, stats(10, 3, 300.0, 700.0)), 0.01)


class ExecutionTest(unittest.TestCase):
    def test_prior_sizing_and_fill(self):
        results = run_script(["t0,AAA,100", "t1,AAA,101"], {"0": [["AAA", "buy", 1.0]]}, 2)
        first = results[0]
        self.assertEqual(first["fills"], [{"symbol": "AAA", "side": "buy", "quantity": 50.0, "price": 100.0,
                                           "reason": "script"}])  # 100000 x 0.05 / 100
        self.assertEqual(first["portfolio"]["cash"], 95000.0)
        self.assertEqual(results[1]["portfolio"]["equity"], 100050.0)
        self.assertEqual(results[1]["portfolio"]["positions"],
                         [{"symbol": "AAA", "quantity": 50.0, "avgPrice": 100.0, "marketPrice": 101.0,
                           "unrealizedPnl": 50.0}])

    def test_strength_scales_size_and_slippage_moves_price(self):
        results = run_script(["t0,AAA,100"], {"0": [["AAA", "buy", 0.5]]}, 1, risk={"slippage": 0.01})
        fill = results[0]["fills"][0]
        self.assertEqual(fill["price"], 101.0)
        self.assertEqual(fill["quantity"], math.floor(2500 / 101 * 10000) / 10000)

    def test_repeated_buy_does_not_pyramid_and_sell_closes(self):
        script = {"0": [["AAA", "buy", 1.0]], "1": [["AAA", "buy", 1.0]], "2": [["AAA", "sell", 1.0]]}
        results = run_script(["t0,AAA,100", "t1,AAA,102", "t2,AAA,104"], script, 3)
        self.assertEqual(results[1]["fills"], [])
        self.assertEqual(results[2]["fills"][0]["side"], "sell")
        self.assertEqual(results[2]["portfolio"]["positions"], [])
        self.assertEqual(results[2]["performance"]["realizedPnl"], 200.0)
        self.assertEqual(results[2]["performance"]["trades"], 1)
        self.assertEqual(results[2]["performance"]["winRate"], 1.0)

    def test_short_position_pnl(self):
        script = {"0": [["AAA", "sell", 1.0]], "1": [["AAA", "buy", 1.0]]}
        results = run_script(["t0,AAA,100", "t1,AAA,97"], script, 2)
        self.assertEqual(results[0]["portfolio"]["positions"][0]["quantity"], -50.0)
        self.assertEqual(results[0]["portfolio"]["cash"], 105000.0)
        self.assertEqual(results[1]["performance"]["realizedPnl"], 150.0)
        self.assertEqual(results[1]["portfolio"]["equity"], 100150.0)

    def test_cash_never_negative(self):
        rows = ["t0,AAA,100", "t0,BBB,100", "t0,CCC,100"]
        script = {"0": [["AAA", "buy", 1.0], ["BBB", "buy", 1.0], ["CCC", "buy", 1.0]]}
        result = run_script(rows, script, 1, risk={"maxPositionFraction": 1.0},
                            symbols=("AAA", "BBB", "CCC"))[0]
        self.assertGreaterEqual(result["portfolio"]["cash"], 0.0)
        self.assertEqual([f["symbol"] for f in result["fills"]], ["AAA", "BBB"])

    def test_longs_keep_cash_to_cover_shorts(self):
        symbols = ("AAA", "BBB", "CCC", "DDD")
        rows = ["t0,%s,100" % s for s in symbols]
        script = {"0": [["AAA", "sell", 1.0], ["BBB", "buy", 1.0], ["CCC", "buy", 1.0], ["DDD", "buy", 1.0]]}
        result = run_script(rows, script, 1, risk={"maxPositionFraction": 1.0}, symbols=symbols)[0]
        # The short's 50000 buy-back cost stays in cash, so DDD gets nothing.
        self.assertEqual([f["symbol"] for f in result["fills"]], ["AAA", "BBB", "CCC"])
        self.assertEqual(result["portfolio"]["cash"], 50000.0)


    def test_kelly_takes_over_after_minimum_trades(self):
        # Ten winning round trips (buy 100, sell 101), then a buy: W = 1 so
        # f* = 1, kellyFraction 0.5 -> 0.5, capped at maxPositionFraction 0.1.
        rows = ["t%02d,AAA,%d" % (t, 100 if t % 2 == 0 else 101) for t in range(21)]
        script = {str(t): [["AAA", "buy" if t % 2 == 0 else "sell", 1.0]] for t in range(21)}
        results = run_script(rows, script, 21)
        self.assertEqual(results[0]["fills"][0]["quantity"], 50.0)  # prior: 0.05 x 100000 / 100
        self.assertEqual(results[19]["performance"]["trades"], 10)
        equity = 100000.0
        for _ in range(10):  # each win earns 1 per unit of 5% of equity at 100
            equity += math.floor(equity * 0.05 / 100 * 10000) / 10000
        self.assertEqual(results[20]["fills"][0]["quantity"], math.floor(equity * 0.1 / 100 * 10000) / 10000)
        self.assertAlmostEqual(results[20]["fills"][0]["quantity"], 100.5, places=2)


class ExitTest(unittest.TestCase):
    def test_stop_loss_long(self):
        results = run_script(["t0,AAA,100", "t1,AAA,94"], {"0": [["AAA", "buy", 1.0]]}, 2)
        fill = results[1]["fills"][0]
        self.assertEqual((fill["side"], fill["price"]), ("sell", 94.0))
        self.assertTrue(fill["reason"].startswith("stop-loss"))
        self.assertEqual(results[1]["performance"]["realizedPnl"], -300.0)
        self.assertEqual(results[1]["performance"]["winRate"], 0.0)

    def test_no_exit_inside_limits(self):
        results = run_script(["t0,AAA,100", "t1,AAA,96", "t2,AAA,109"], {"0": [["AAA", "buy", 1.0]]}, 3)
        self.assertEqual(results[1]["fills"] + results[2]["fills"], [])

    def test_take_profit_long_and_stop_loss_short(self):
        results = run_script(["t0,AAA,100", "t1,AAA,111"], {"0": [["AAA", "buy", 1.0]]}, 2)
        self.assertTrue(results[1]["fills"][0]["reason"].startswith("take-profit"))
        results = run_script(["t0,AAA,100", "t1,AAA,106"], {"0": [["AAA", "sell", 1.0]]}, 2)
        fill = results[1]["fills"][0]
        self.assertEqual(fill["side"], "buy")
        self.assertTrue(fill["reason"].startswith("stop-loss"))

    def test_drawdown_flattens_and_halts(self):
        rows = ["t0,AAA,100", "t1,AAA,50", "t2,AAA,60", "t3,AAA,70"]
        script = {"0": [["AAA", "buy", 1.0]], "2": [["AAA", "buy", 1.0]]}
        results = run_script(rows, script, 4, risk={"maxPositionFraction": 1.0, "stopLoss": 0.9})
        # 500 shares lose 25000: drawdown 25% > 20%
        self.assertFalse(results[0]["halted"])
        halted = results[1]
        self.assertTrue(halted["halted"])
        self.assertIn("maxDrawdown", halted["haltReason"])
        self.assertEqual(halted["fills"][0]["reason"], "max-drawdown: flatten")
        self.assertEqual(halted["portfolio"]["positions"], [])
        self.assertEqual(halted["portfolio"]["equity"], 75000.0)
        self.assertEqual(results[2]["fills"], [])  # a buy signal is reported but not traded
        self.assertEqual(results[2]["signals"][0]["action"], "buy")
        self.assertTrue(results[3]["halted"])
        self.assertEqual(results[3]["performance"]["maxDrawdown"], 0.25)


class PerformanceTest(unittest.TestCase):
    def test_sharpe_on_known_curve(self):
        returns = agent_runtime.returns_from_equity([100.0, 110.0, 99.0, 108.9])  # +10%, -10%, +10%
        for got, want in zip(returns, [0.1, -0.1, 0.1]):
            self.assertAlmostEqual(got, want)
        expected = (0.1 / 3) / math.sqrt(0.04 / 3) * math.sqrt(252)
        self.assertAlmostEqual(agent_runtime.sharpe_ratio(returns, 252), expected)

    def test_sharpe_degenerate_cases(self):
        self.assertEqual(agent_runtime.sharpe_ratio([0.01], 252), 0.0)
        self.assertEqual(agent_runtime.sharpe_ratio([0.01, 0.01, 0.01], 252), 0.0)

    def test_running_stats_match_batch(self):
        returns = [0.01, -0.02, 0.015, 0.003, -0.007]
        running = agent_runtime.ReturnStats()
        for value in returns:
            running.add(value)
        self.assertAlmostEqual(running.sharpe(98280), agent_runtime.sharpe_ratio(returns, 98280))

    def test_max_drawdown(self):
        self.assertAlmostEqual(agent_runtime.max_drawdown([100, 120, 90, 130, 117]), 0.25)
        self.assertEqual(agent_runtime.max_drawdown([100, 101, 102]), 0.0)

    def test_performance_in_result(self):
        script = {"0": [["AAA", "buy", 1.0]], "2": [["AAA", "sell", 1.0]]}
        results = run_script(["t0,AAA,100", "t1,AAA,98", "t2,AAA,104"], script, 3)
        perf = results[2]["performance"]
        self.assertEqual(perf["totalReturn"], 0.002)
        self.assertEqual(perf["trades"], 1)
        self.assertEqual(perf["realizedPnl"], 200.0)
        self.assertAlmostEqual(perf["maxDrawdown"], 100 / 100000, places=6)
        equity = [100000.0, 100000.0, 99900.0, 100200.0]
        expected = agent_runtime.sharpe_ratio(agent_runtime.returns_from_equity(equity), 252 * 390)
        self.assertAlmostEqual(perf["sharpe"], round(expected, 4))


if __name__ == "__main__":
    unittest.main()
