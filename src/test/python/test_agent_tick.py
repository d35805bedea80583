"""The deploy/tick contract: deploy text, one result line, state round trips, hostile input."""

import contextlib
import importlib
import io
import json
import os
import re
import tempfile
import unittest

from strategy_support import (BUILTIN, agent_input, builtin_deploy_text, deploy_text, fresh_context,
                              parse_result_line, read_source, runtime_modules, runtime_text, tick_in_context)
import agent_runtime
import momentum

EXTRA = {
    "momentum": {},
    "mean_reversion": {"parameters": {"windowSize": 15, "stddevs": 1.5}},
    "pairs_trading": {"symbols": [], "pairs": [["KO", "PEP"], ["XOM", "CVX"]],
                      "parameters": {"lookback": 40, "entryZ": 1.5}},
    "arbitrage": {"symbols": ["BTC", "ETH", "SOL"],
                  "marketData": {"type": "synthetic", "seed": 3, "dislocationRate": 0.3}},
}


def builtin_input(strategy, tick, state):
    return agent_input(strategy, tick, state, **EXTRA[strategy])


class DeployTest(unittest.TestCase):
    def test_deploy_text_only_defines(self):
        for strategy in BUILTIN:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                namespace = fresh_context(builtin_deploy_text(strategy))
            self.assertEqual((out.getvalue(), err.getvalue()), ("", ""), strategy)
            self.assertTrue(callable(namespace["__agent_tick__"]))
            self.assertTrue(callable(namespace["generate_signals"]))
            self.assertEqual(namespace["STRATEGY"], strategy)

    def test_every_runtime_module_is_deployed(self):
        import os
        from strategy_support import STRATEGIES_DIR
        on_disk = sorted(n for n in os.listdir(STRATEGIES_DIR) if n.startswith("runtime_") and n.endswith(".py"))
        self.assertEqual(runtime_modules()[0], "agent_runtime.py")
        self.assertEqual(sorted(runtime_modules()[1:]), on_disk)

    def test_module_form_equals_deployed_form(self):
        for strategy in BUILTIN:
            module = importlib.import_module(strategy)
            state_module = state_deployed = None
            for tick in range(3):
                module_result = agent_runtime.run_tick(builtin_input(strategy, tick, state_module), module)
                out, _ = tick_in_context(fresh_context(builtin_deploy_text(strategy)),
                                         builtin_input(strategy, tick, state_deployed))
                deployed_result = parse_result_line(out)
                self.assertEqual(deployed_result, json.loads(json.dumps(module_result)), strategy)
                state_module, state_deployed = module_result["state"], deployed_result["state"]

    def test_inputs_are_never_evaluated(self):
        # A static guard: nothing in the deployed code can turn data into code.
        pattern = re.compile(r"(?<![.\w])(eval|exec|compile|__import__)\s*\(|\bimport\s+(pickle|marshal)\b")
        for name in tuple(runtime_modules()) + tuple(s + ".py" for s in BUILTIN):
            self.assertIsNone(pattern.search(read_source(name)), name)


class TickContractTest(unittest.TestCase):
    def test_one_result_line(self):
        namespace = fresh_context(builtin_deploy_text("momentum"))
        out, err = tick_in_context(namespace, agent_input("momentum", 0, None))
        self.assertEqual(out.count("\n"), 1)
        self.assertTrue(out.startswith("__AGENT_RESULT__{"))
        result = parse_result_line(out)
        self.assertEqual(set(result), {"tick", "signals", "fills", "portfolio", "performance", "halted",
                                       "haltReason", "state", "observations"})
        self.assertEqual(result["tick"], 0)
        self.assertEqual({s["symbol"] for s in result["signals"]}, {"AAPL", "MSFT"})
        for item in result["signals"]:
            self.assertEqual(set(item), {"symbol", "action", "strength", "price", "reason"})
        for fill in result["fills"]:
            self.assertEqual(set(fill), {"symbol", "side", "quantity", "price", "reason"})
        self.assertEqual(set(result["portfolio"]), {"cash", "equity", "positions"})
        self.assertEqual(set(result["performance"]),
                         {"totalReturn", "sharpe", "maxDrawdown", "winRate", "trades", "realizedPnl"})
        for key in ("version", "cash", "positions", "windows", "generator", "equityCurve", "trades",
                    "returns", "peakEquity", "halted", "memory"):
            self.assertIn(key, result["state"])

    def test_base64_input_in_the_deployed_form(self):
        import base64
        namespace = fresh_context(builtin_deploy_text("momentum"))
        encoded = base64.b64encode(json.dumps(agent_input("momentum", 0, None)).encode("utf-8")).decode("ascii")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            exec("__agent_tick__(agent_input=%r)" % encoded, namespace)
        self.assertEqual(parse_result_line(out.getvalue()), parse_result_line(
            tick_in_context(fresh_context(builtin_deploy_text("momentum")), agent_input("momentum", 0, None))[0]))
        with self.assertRaises(ValueError):
            exec("__agent_tick__(agent_input='not base64!')", namespace)

    def test_strategy_output_goes_to_stderr(self):
        source = ("def validate_parameters(params):\n    print('validating')\n    return dict(params)\n"
                  "def generate_signals(ctx):\n    print('debug from strategy')\n"
                  "    return [{'symbol': s, 'action': 'hold', 'strength': 0, 'reason': 'x'} for s in ctx['symbols']]\n")
        namespace = fresh_context(deploy_text(source))
        out, err = tick_in_context(namespace, agent_input("custom", 0, None))
        self.assertEqual(len(parse_result_line(out)["signals"]), 2)
        self.assertIn("validating", err)
        self.assertIn("debug from strategy", err)

    def test_missing_and_malformed_input(self):
        namespace = fresh_context(builtin_deploy_text("momentum"))
        os.environ.pop("AGENT_INPUT", None)
        with self.assertRaises(ValueError) as caught:
            exec("__agent_tick__()", namespace)
        self.assertIn("AGENT_INPUT is not set", str(caught.exception))
        for text, message in (("{", "not valid JSON"), ("[]", "AGENT_INPUT must be an object"),
                              ('{"strategy": "momentum", "capital": NaN}', "NaN")):
            with self.assertRaises(ValueError) as caught:
                agent_runtime.run_tick(text, momentum)
            self.assertIn(message, str(caught.exception))

    def test_wrong_or_incomplete_strategy_code(self):
        with self.assertRaises(ValueError) as caught:
            agent_runtime.run_tick(agent_input("mean_reversion", 0, None), momentum)
        self.assertIn("deployed code", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            tick_in_context(fresh_context(runtime_text()), agent_input("custom", 0, None))
        self.assertIn("generate_signals", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            agent_runtime.run_tick(agent_input("pairs_trading", 0, None),
                                   fresh_context(builtin_deploy_text("pairs_trading")))
        self.assertIn("pairs", str(caught.exception))

    def test_bad_strategy_output_is_rejected(self):
        def strategy(signals, memory=None):
            def generate_signals(ctx):
                if memory is not None:
                    ctx["memory"]["blob"] = memory
                return signals
            return {"generate_signals": generate_signals, "validate_parameters": lambda p: p}
        cases = [
            ([{"symbol": "AAPL", "action": "buy", "strength": 1.5}], "strength"),
            ([{"symbol": "TSLA", "action": "buy", "strength": 1}], "not one of the agent's symbols"),
            ([{"symbol": "AAPL", "action": "short", "strength": 1}], "action"),
            ("buy", "list"),
        ]
        for signals, message in cases:
            with self.assertRaises(ValueError) as caught:
                agent_runtime.run_tick(agent_input("custom", 0, None), strategy(signals))
            self.assertIn(message, str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            agent_runtime.run_tick(agent_input("custom", 0, None), strategy([], memory="x" * 40000))
        self.assertIn("memory", str(caught.exception))

    def test_portfolio_view_is_read_only(self):
        def generate_signals(ctx):
            ctx["portfolio"]["cash"] = 1e9
        with self.assertRaises(TypeError):
            agent_runtime.run_tick(agent_input("custom", 0, None),
                                   {"generate_signals": generate_signals, "validate_parameters": dict})


class StateRoundTripTest(unittest.TestCase):
    TICKS = 40

    def run_one_context(self, strategy):
        namespace = fresh_context(builtin_deploy_text(strategy))
        lines, state = [], None
        for tick in range(self.TICKS):
            out, _ = tick_in_context(namespace, builtin_input(strategy, tick, state))
            lines.append(out)
            state = parse_result_line(out)["state"]
        return lines

    def run_fresh_contexts(self, strategy):
        lines, state = [], None
        for tick in range(self.TICKS):
            out, _ = tick_in_context(fresh_context(builtin_deploy_text(strategy)), builtin_input(strategy, tick, state))
            lines.append(out)
            state = parse_result_line(out)["state"]
        return lines

    def test_equivalence_for_every_strategy(self):
        for strategy in BUILTIN:
            together = self.run_one_context(strategy)
            apart = self.run_fresh_contexts(strategy)
            self.assertEqual(together, apart, strategy)
            # The runs must actually trade, or the comparison proves little.
            fills = sum(len(parse_result_line(line)["fills"]) for line in together)
            self.assertGreater(fills, 0, strategy)

    def test_same_seed_same_signals(self):
        first = self.run_one_context("momentum")
        self.assertEqual(first, self.run_one_context("momentum"))

    def test_pairs_memory_carries_hedge_ratios(self):
        state = parse_result_line(self.run_one_context("pairs_trading")[-1])["state"]
        self.assertEqual(sorted(state["memory"]["hedgeRatios"]), ["KO/PEP", "XOM/CVX"])

    def test_state_is_bounded(self):
        symbols = ["S%02d" % i for i in range(20)]
        state, size = None, 0
        for tick in range(600):
            result = agent_runtime.run_tick(agent_input("momentum", tick, state, symbols=symbols), momentum)
            state = result["state"]
            text = json.dumps(state, separators=(",", ":"))
            size = max(size, len(text))
        self.assertLess(size, 200 * 1024)
        self.assertEqual(len(state["equityCurve"]), agent_runtime.EQUITY_CURVE_SIZE)
        self.assertTrue(all(len(w) == agent_runtime.WINDOW_SIZE for w in state["windows"].values()))

    def test_stale_state_is_rejected(self):
        with self.assertRaises(ValueError) as caught:
            agent_runtime.run_tick(agent_input("momentum", 1, {"version": 99}), momentum)
        self.assertIn("state.version", str(caught.exception))
        with self.assertRaises(ValueError) as caught:
            agent_runtime.run_tick(agent_input("momentum", 1, {"version": 1, "cash": 5}), momentum)
        self.assertIn("state is incomplete", str(caught.exception))


class HostileInputTest(unittest.TestCase):
    def setUp(self):
        self.marker = os.path.join(tempfile.mkdtemp(), "pwned")
        self.payload = "__import__('os').system('touch %s')" % self.marker

    def tearDown(self):
        self.assertFalse(os.path.exists(self.marker), "hostile input was executed")

    def assert_rejected(self, document, message):
        namespace = fresh_context(builtin_deploy_text("momentum"))
        with self.assertRaises(ValueError) as caught:
            tick_in_context(namespace, document)
        self.assertIn(message, str(caught.exception))

    def test_code_in_symbols(self):
        for symbol in ["\"; import os; os.system('x')", self.payload, "aapl", "AAPL\n", "", "A" * 21, 42]:
            self.assert_rejected(agent_input(symbols=["MSFT", symbol]), "symbols[1]")
        self.assert_rejected(agent_input(pairs=[["KO", "PEP; rm -rf /"]]), "pairs[0][1]")

    def test_code_in_parameters(self):
        self.assert_rejected(agent_input(parameters={"period": self.payload}), "parameters.period")
        self.assert_rejected(agent_input(parameters={self.payload: 1}), "unknown field")

    def test_code_elsewhere(self):
        self.assert_rejected(agent_input(strategy="momentum; import os"), "strategy must match")
        self.assert_rejected(agent_input(risk={"stopLoss": self.payload}), "risk.stopLoss")
        self.assert_rejected(agent_input(capital=self.payload), "capital")
        self.assert_rejected(agent_input(marketData={"type": "synthetic", "seed": self.payload}), "marketData.seed")
        self.assert_rejected(agent_input(tick=self.payload), "tick")

    def test_code_in_state(self):
        good = agent_runtime.run_tick(agent_input(), momentum)["state"]
        evil = json.loads(json.dumps(good))
        evil["positions"] = {self.payload: {"quantity": 1, "avgPrice": 1}}
        self.assert_rejected(agent_input(tick=1, state=evil), "state.positions")

    def test_custom_strategy_sees_data_not_code(self):
        seen = []

        def generate_signals(ctx):
            seen.append(ctx["parameters"]["note"])
            return []
        agent_runtime.run_tick(agent_input("custom", 0, None, parameters={"note": self.payload}),
                               {"generate_signals": generate_signals, "validate_parameters": dict})
        self.assertEqual(seen, [self.payload])


if __name__ == "__main__":
    unittest.main()
