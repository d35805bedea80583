"""Input and state validation of the paper-trading runtime (part of agent_runtime).

Shared limits, the validation helpers strategies use too, AGENT_INPUT
parsing and restoring the previous tick's state.
"""

import json
import math
import re

if __name__ == "runtime_inputs":  # imported as a module; deployed, every part shares one namespace
    from runtime_indicators import *  # noqa: F401,F403

RESULT_PREFIX = "__AGENT_RESULT__"
STATE_VERSION = 1
SYMBOL_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9./:-]{0,19}")
STRATEGY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
GROUP_PATTERN = re.compile(r"[A-Z0-9./:_-]{1,64}")
VENUE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,16}")
HEADER_NAME_PATTERN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")
ACTIONS = ("buy", "sell", "hold")
BUILTIN_STRATEGIES = ("momentum", "mean_reversion", "pairs_trading", "arbitrage")

MAX_SYMBOLS = 50
MAX_PAIRS = 25
MAX_SIGNALS = 500
MAX_INPUT_BYTES = 8 * 1024 * 1024
WINDOW_SIZE = 256
EQUITY_CURVE_SIZE = 512
MEMORY_LIMIT_BYTES = 32 * 1024
REASON_LIMIT = 200

MIN_KELLY_TRADES = 10
PRIOR_FRACTION_OF_CAP = 0.5
KELLY_FLOOR_OF_CAP = 0.1
# Longs plus shorts at most twice the equity (the 50% initial margin of Regulation T).
MAX_GROSS_EXPOSURE = 2.0
# Prices keep 6 decimals, so 0.000001 is the smallest; the cap keeps every product of money finite.
MIN_PRICE = 0.000001
MAX_PRICE = 1e9
DEFAULT_TICKS_PER_YEAR = 252 * 390
QUANTITY_DECIMALS = 4

HTTP_MAX_BYTES = 1024 * 1024
HTTP_DEFAULT_TIMEOUT = 10.0

DEFAULT_RISK = {
    "maxPositionFraction": 0.1,
    "stopLoss": 0.05,
    "takeProfit": 0.1,
    "kellyFraction": 0.5,
    "maxDrawdown": 0.2,
    "slippage": 0.0,
}


class MarketDataError(ValueError):
    """Market data could not be read, parsed or fetched."""


# --------------------------------------------------------------------------
# Validation helpers (also used by strategy modules)
# --------------------------------------------------------------------------

def describe(value, limit=60):
    """Short, safe text for an offending value in an error message."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = "<%s>" % type(value).__name__
    return text if len(text) <= limit else text[:limit] + "..."


def is_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def require_number(value, name, minimum=None, maximum=None,
                   min_inclusive=True, max_inclusive=True):
    """Return value as a float or raise ValueError naming the field."""
    if not is_number(value):
        raise ValueError("%s must be a finite number, got %s" % (name, describe(value)))
    value = float(value)
    if minimum is not None:
        if value < minimum or (value == minimum and not min_inclusive):
            bound = ">=" if min_inclusive else ">"
            raise ValueError("%s must be %s %s, got %s" % (name, bound, minimum, describe(value)))
    if maximum is not None:
        if value > maximum or (value == maximum and not max_inclusive):
            bound = "<=" if max_inclusive else "<"
            raise ValueError("%s must be %s %s, got %s" % (name, bound, maximum, describe(value)))
    return value


def require_int(value, name, minimum=None, maximum=None):
    """Return value as an int (integral floats such as 10.0 are accepted)."""
    if isinstance(value, float) and is_number(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("%s must be an integer, got %s" % (name, describe(value)))
    if minimum is not None and value < minimum:
        raise ValueError("%s must be >= %s, got %s" % (name, minimum, value))
    if maximum is not None and value > maximum:
        raise ValueError("%s must be <= %s, got %s" % (name, maximum, value))
    return value


def require_dict(value, name):
    if not isinstance(value, dict):
        raise ValueError("%s must be an object, got %s" % (name, describe(value)))
    return value


def require_known_keys(mapping, allowed, name):
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        raise ValueError("%s has unknown field(s) %s; allowed: %s"
                         % (name, ", ".join(describe(k) for k in unknown), ", ".join(sorted(allowed))))


def validate_symbol(value, name="symbol"):
    if not isinstance(value, str) or not SYMBOL_PATTERN.fullmatch(value):
        raise ValueError("%s must match ^[A-Z0-9][A-Z0-9./:-]{0,19}$, got %s" % (name, describe(value)))
    return value


def validate_group(value, name="group"):
    if not isinstance(value, str) or not GROUP_PATTERN.fullmatch(value):
        raise ValueError("%s must match ^[A-Z0-9./:_-]{1,64}$, got %s" % (name, describe(value)))
    return value


def parameter_values(params, defaults, strategy):
    """Merge a strategy's parameters over its defaults, rejecting unknown names."""
    if params is None:
        params = {}
    require_dict(params, "parameters")
    require_known_keys(params, defaults, "parameters of %s" % strategy)
    merged = dict(defaults)
    merged.update(params)
    return merged


def round_price(value):
    return round(float(value), 6)


def require_price(value, name, error=ValueError):
    """A price as the runtime keeps it (6 decimals): checked after rounding, so it is never 0."""
    if not is_number(value) or not 0 < value <= MAX_PRICE:
        raise error("%s must be positive and finite, at most %g, got %s" % (name, MAX_PRICE, describe(value)))
    price = round_price(value)
    if price < MIN_PRICE:
        raise error("%s must be at least %s (prices keep 6 decimals), got %s" % (name, MIN_PRICE, describe(value)))
    return price


def round_money(value):
    return round(float(value), 2)


def round_ratio(value):
    return round(float(value), 6)


def floor_quantity(value):
    # The epsilon keeps 0.3 / 0.1-style float noise from losing a whole lot.
    scale = 10 ** QUANTITY_DECIMALS
    return math.floor(value * scale + 1e-9) / scale if value > 0 else 0.0


# --------------------------------------------------------------------------
# Input and state
# --------------------------------------------------------------------------

def reject_constant(name):
    raise ValueError("NaN and Infinity are not allowed (found %s)" % name)


def normalise_risk(risk):
    risk = {} if risk is None else require_dict(risk, "risk")
    require_known_keys(risk, DEFAULT_RISK, "risk")
    values = dict(DEFAULT_RISK)
    values.update(risk)
    return {
        "maxPositionFraction": require_number(values["maxPositionFraction"], "risk.maxPositionFraction",
                                              0.0, 1.0, min_inclusive=False),
        "stopLoss": require_number(values["stopLoss"], "risk.stopLoss", 0.0, 1.0, False, False),
        "takeProfit": require_number(values["takeProfit"], "risk.takeProfit", 0.0, 100.0, min_inclusive=False),
        "kellyFraction": require_number(values["kellyFraction"], "risk.kellyFraction", 0.0, 1.0, min_inclusive=False),
        "maxDrawdown": require_number(values["maxDrawdown"], "risk.maxDrawdown", 0.0, 1.0, False, False),
        "slippage": require_number(values["slippage"], "risk.slippage", 0.0, 0.05),
    }


def parse_input(text):
    """Parse and validate AGENT_INPUT text into a normalised dict (raises ValueError)."""
    if text is None:
        raise ValueError("AGENT_INPUT is not set")
    if len(text) > MAX_INPUT_BYTES:
        raise ValueError("AGENT_INPUT is larger than %d bytes" % MAX_INPUT_BYTES)
    try:
        document = json.loads(text, parse_constant=reject_constant)
    except ValueError as error:
        raise ValueError("AGENT_INPUT is not valid JSON: %s" % error)
    require_dict(document, "AGENT_INPUT")

    agent = document.get("agent", "")
    if not isinstance(agent, str) or len(agent) > 320:
        raise ValueError("agent must be a \"namespace/name\" string")
    strategy = document.get("strategy")
    if not isinstance(strategy, str) or not STRATEGY_PATTERN.fullmatch(strategy):
        raise ValueError("strategy must match ^[a-z][a-z0-9_]{0,39}$, got %s" % describe(strategy))

    symbols = document.get("symbols") or []
    if not isinstance(symbols, list) or len(symbols) > MAX_SYMBOLS:
        raise ValueError("symbols must be a list of at most %d symbols" % MAX_SYMBOLS)
    symbols = [validate_symbol(s, "symbols[%d]" % i) for i, s in enumerate(symbols)]
    if len(set(symbols)) != len(symbols):
        raise ValueError("symbols contains duplicates")

    pairs = document.get("pairs") or []
    if not isinstance(pairs, list) or len(pairs) > MAX_PAIRS:
        raise ValueError("pairs must be a list of at most %d [symbolA, symbolB] pairs" % MAX_PAIRS)
    clean_pairs = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError("pairs[%d] must be [symbolA, symbolB], got %s" % (i, describe(pair)))
        a = validate_symbol(pair[0], "pairs[%d][0]" % i)
        b = validate_symbol(pair[1], "pairs[%d][1]" % i)
        if a == b:
            raise ValueError("pairs[%d] pairs %s with itself" % (i, a))
        clean_pairs.append([a, b])

    universe = list(symbols)
    for a, b in clean_pairs:
        universe.extend(s for s in (a, b) if s not in universe)
    if not universe:
        raise ValueError("symbols (or pairs) must name at least one symbol")
    if len(universe) > MAX_SYMBOLS:
        raise ValueError("symbols and pairs together name more than %d symbols" % MAX_SYMBOLS)

    parameters = document.get("parameters")
    if parameters is not None:
        require_dict(parameters, "parameters")
    capital = require_number(document.get("capital"), "capital", 0.0, 1e12, min_inclusive=False)
    tick = require_int(document.get("tick"), "tick", 0, 10 ** 9)
    now = document.get("now", "")
    if not isinstance(now, str) or len(now) > 64:
        raise ValueError("now must be an ISO-8601 time string")
    ticks_per_year = require_number(document.get("ticksPerYear", DEFAULT_TICKS_PER_YEAR), "ticksPerYear",
                                    0.0, 1e8, min_inclusive=False)
    state = document.get("state")
    if state is not None:
        require_dict(state, "state")

    return {
        "agent": agent, "strategy": strategy, "symbols": symbols, "pairs": clean_pairs,
        "universe": universe, "parameters": parameters or {}, "risk": normalise_risk(document.get("risk")),
        "capital": capital, "marketData": require_dict(document.get("marketData"), "marketData"),
        "tick": tick, "now": now, "ticksPerYear": ticks_per_year, "state": state,
    }


def empty_trade_stats():
    """Closed-trade statistics: money sums (grossWin/grossLoss) and return sums (winReturn/lossReturn)."""
    return {"count": 0, "wins": 0, "losses": 0, "grossWin": 0.0, "grossLoss": 0.0,
            "winReturn": 0.0, "lossReturn": 0.0}


def restore_state(state, capital, strategy=None, market=None):
    """Validate a previous state (it is data from a ConfigMap) into working values.

    `market` describes this tick's market data source: when it differs from
    the state's (another seed, volatility, CSV...), the price history and
    generator are dropped so the new source starts afresh. When `strategy`
    differs from the state's, the old strategy's memory is dropped. The
    portfolio is kept either way: its positions are still held.
    """
    fresh = {
        "capital": capital, "cash": capital, "positions": {}, "lastPrices": {}, "windows": {}, "steps": {},
        "generator": {}, "market": market, "realizedPnl": 0.0, "trades": empty_trade_stats(),
        "returns": ReturnStats(), "equityCurve": [], "lastEquity": capital, "peakEquity": capital,
        "maxDrawdown": 0.0, "halted": False, "haltReason": None, "memory": {},
    }
    if state is None:
        return fresh
    if state.get("version") != STATE_VERSION:
        raise ValueError("state.version must be %d, got %s" % (STATE_VERSION, describe(state.get("version"))))
    try:
        restored = dict(fresh)
        restored["capital"] = require_number(state["capital"], "state.capital", 0.0, min_inclusive=False)
        # Negative after covering a short that cost more than the cash (a debit).
        restored["cash"] = require_number(state["cash"], "state.cash")
        positions = {}
        for symbol, position in require_dict(state["positions"], "state.positions").items():
            validate_symbol(symbol, "state.positions key")
            positions[symbol] = {
                "quantity": require_number(position["quantity"], "state.positions.%s.quantity" % symbol),
                "avgPrice": require_price(position["avgPrice"], "state.positions.%s.avgPrice" % symbol),
            }
            if position.get("group") is not None:
                positions[symbol]["group"] = validate_group(position["group"], "state.positions.%s.group" % symbol)
        restored["positions"] = positions
        restored["lastPrices"] = {validate_symbol(s, "state.lastPrices key"): require_price(p, "state.lastPrices.%s" % s)
                                  for s, p in require_dict(state["lastPrices"], "state.lastPrices").items()}
        windows = {}
        for symbol, window in require_dict(state["windows"], "state.windows").items():
            validate_symbol(symbol, "state.windows key")
            if not isinstance(window, list):
                raise ValueError("state.windows.%s must be a list" % symbol)
            windows[symbol] = [require_price(p, "state.windows.%s[]" % symbol) for p in window[-WINDOW_SIZE:]]
        steps = {}
        for symbol, stamps in require_dict(state.get("steps", {}), "state.steps").items():
            if symbol in windows and isinstance(stamps, list) and len(stamps[-WINDOW_SIZE:]) == len(windows[symbol]):
                steps[symbol] = [require_int(n, "state.steps.%s[]" % symbol) for n in stamps[-WINDOW_SIZE:]]
        # A window without its steps (an older state) cannot be aligned: the market rebuilds it.
        windows = {symbol: window for symbol, window in windows.items() if symbol in steps}
        restored["windows"], restored["steps"] = windows, steps
        restored["generator"] = require_dict(state.get("generator", {}), "state.generator")
        if market is not None and state.get("market") != market:
            restored["windows"], restored["steps"], restored["generator"] = {}, {}, {}
        restored["realizedPnl"] = require_number(state["realizedPnl"], "state.realizedPnl")
        trades = require_dict(state["trades"], "state.trades")
        count = require_int(trades["count"], "state.trades.count", 0)
        wins = require_int(trades["wins"], "state.trades.wins", 0, count)
        restored["trades"] = {
            "count": count, "wins": wins,
            # States written before scratch trades were told apart count every non-win as a loss.
            "losses": require_int(trades.get("losses", count - wins), "state.trades.losses", 0, count - wins),
            "grossWin": require_number(trades["grossWin"], "state.trades.grossWin", 0.0),
            "grossLoss": require_number(trades["grossLoss"], "state.trades.grossLoss", 0.0),
            # Older states kept money sums only; over the capital they give the same win/loss ratio R.
            "winReturn": require_number(trades.get("winReturn", trades["grossWin"] / restored["capital"]),
                                        "state.trades.winReturn", 0.0),
            "lossReturn": require_number(trades.get("lossReturn", trades["grossLoss"] / restored["capital"]),
                                         "state.trades.lossReturn", 0.0),
        }
        returns = require_dict(state["returns"], "state.returns")
        restored["returns"] = ReturnStats(require_int(returns["count"], "state.returns.count", 0),
                                          require_number(returns["mean"], "state.returns.mean"),
                                          require_number(returns["m2"], "state.returns.m2", 0.0))
        curve = state["equityCurve"]
        if not isinstance(curve, list):
            raise ValueError("state.equityCurve must be a list")
        points = []
        for point in curve[-EQUITY_CURVE_SIZE:]:
            if not isinstance(point, list) or len(point) != 2:
                raise ValueError("state.equityCurve entries must be [tick, equity]")
            points.append([require_int(point[0], "state.equityCurve tick"),
                           require_number(point[1], "state.equityCurve equity")])
        restored["equityCurve"] = points
        restored["lastEquity"] = require_number(state["lastEquity"], "state.lastEquity")
        restored["peakEquity"] = require_number(state["peakEquity"], "state.peakEquity")
        restored["maxDrawdown"] = require_number(state["maxDrawdown"], "state.maxDrawdown", 0.0)
        restored["halted"] = bool(state["halted"])
        restored["haltReason"] = state.get("haltReason")
        if restored["haltReason"] is not None and not isinstance(restored["haltReason"], str):
            raise ValueError("state.haltReason must be a string")
        restored["memory"] = require_dict(state.get("memory", {}), "state.memory")
        if strategy is not None and state.get("strategy") != strategy:
            restored["memory"] = {}
        return restored
    except (KeyError, TypeError) as error:
        raise ValueError("state is incomplete or malformed (%s: %s)" % (type(error).__name__, error))
