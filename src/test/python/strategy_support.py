"""Shared helpers for the strategy tests: paths, deploy text and tick runners."""

import contextlib
import io
import json
import os
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
STRATEGIES_DIR = os.path.join(REPO_ROOT, "src", "main", "resources", "strategies")
if STRATEGIES_DIR not in sys.path:
    sys.path.insert(0, STRATEGIES_DIR)

BUILTIN = ("momentum", "mean_reversion", "pairs_trading", "arbitrage")


def read_source(name):
    with open(os.path.join(STRATEGIES_DIR, name), encoding="utf-8") as handle:
        return handle.read()


def runtime_modules():
    """The runtime's files in deploy order (the list StrategyCode deploys too)."""
    return [line.strip() for line in read_source("runtime_modules.txt").splitlines() if line.strip()]


def runtime_text():
    """The runtime part of the deploy text: its modules joined by blank lines."""
    return "\n\n".join(read_source(name) for name in runtime_modules())


def deploy_text(strategy_source):
    """What the operator executes at deploy time: runtime followed by one strategy."""
    return runtime_text() + "\n\n" + strategy_source


def builtin_deploy_text(strategy):
    return deploy_text(read_source(strategy + ".py"))


def fresh_context(text):
    """Execute deploy text in a new namespace, as a fresh sandbox context would."""
    namespace = {"__name__": "__sandbox__"}
    exec(compile(text, "<deploy>", "exec"), namespace)
    return namespace


def tick_in_context(namespace, agent_input):
    """Run the fixed tick cell with AGENT_INPUT set; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.environ.get("AGENT_INPUT")
    os.environ["AGENT_INPUT"] = json.dumps(agent_input)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            exec("__agent_tick__()", namespace)
    finally:
        if previous is None:
            os.environ.pop("AGENT_INPUT", None)
        else:
            os.environ["AGENT_INPUT"] = previous
    return out.getvalue(), err.getvalue()


def parse_result_line(stdout):
    prefix = "__AGENT_RESULT__"
    lines = stdout.splitlines()
    if len(lines) != 1 or not lines[0].startswith(prefix):
        raise AssertionError("expected exactly one %s line, got %r" % (prefix, stdout[:300]))
    return json.loads(lines[0][len(prefix):])


def agent_input(strategy="momentum", tick=0, state=None, **overrides):
    document = {
        "agent": "trading/test-agent",
        "strategy": strategy,
        "symbols": ["AAPL", "MSFT"],
        "pairs": [],
        "parameters": {},
        "risk": {"maxPositionFraction": 0.1, "stopLoss": 0.05, "takeProfit": 0.1,
                 "kellyFraction": 0.5, "maxDrawdown": 0.2},
        "capital": 100000,
        "marketData": {"type": "synthetic", "seed": 42, "volatility": 0.02, "drift": 0.0},
        "tick": tick,
        "now": "2026-03-02T14:31:00Z",
        "state": state,
    }
    document.update(overrides)
    return document


def scripted_strategy():
    """A custom strategy whose signals come from parameters: {"script": {tick: [[sym, action, strength]]}}.

    It lets risk tests drive exact trades without depending on a strategy's math.
    """
    def validate_parameters(params):
        script = params.get("script", {})
        if not isinstance(script, dict):
            raise ValueError("parameters.script must be an object")
        return {"script": script}

    def generate_signals(ctx):
        steps = ctx["parameters"]["script"].get(str(ctx["tick"]), [])
        return [{"symbol": s, "action": a, "strength": k, "price": None, "reason": "script"} for s, a, k in steps]

    return {"generate_signals": generate_signals, "validate_parameters": validate_parameters}


def csv_market(rows):
    return {"type": "csv", "csv": "timestamp,symbol,price,venue\n" + "\n".join(rows) + "\n"}


def run_script(rows, script, ticks, risk=None, symbols=("AAA",), capital=100000):
    """Run `ticks` ticks of the scripted strategy over CSV rows; returns the results."""
    import agent_runtime
    results, state = [], None
    base_risk = {"maxPositionFraction": 0.1, "stopLoss": 0.05, "takeProfit": 0.1,
                 "kellyFraction": 0.5, "maxDrawdown": 0.2}
    base_risk.update(risk or {})
    for tick in range(ticks):
        document = agent_input("custom", tick, state, symbols=list(symbols), parameters={"script": script},
                               risk=base_risk, capital=capital, marketData=csv_market(rows))
        result = agent_runtime.run_tick(json.loads(json.dumps(document)), scripted_strategy())
        results.append(result)
        state = json.loads(json.dumps(result["state"]))
    return results
