"""Paper-trading runtime for e2b-operator trading agents.

This file is deployed into an E2B code-interpreter context followed by exactly
one strategy module (momentum.py, mean_reversion.py, pairs_trading.py,
arbitrage.py or a user's custom source). Executing that text only defines
names; nothing is printed, read or fetched until the operator runs the fixed
cell ``__agent_tick__()``.

Paper trading only: signals, simulated fills, positions and PnL. No order is
ever sent anywhere; the only network access is the optional ``http`` market
data fetch.

TICK CONTRACT
-------------
``__agent_tick__(agent_input='<base64>')`` decodes the JSON document it is
given as base64 (data only; inputs are never turned into code: base64 cannot
leave the literal, and E2B would splice env vars into the cell as source),
runs one decision step and prints exactly one line to stdout. Called without
``agent_input`` it reads the document from the environment variable
``AGENT_INPUT``::

    __AGENT_RESULT__{"tick":17,"signals":[...],...}

Anything a strategy prints goes to stderr so that line stays the only stdout.
Invalid input raises ValueError with a message naming the offending field.

AGENT_INPUT fields: agent ("namespace/name"), strategy, symbols, pairs,
parameters, risk {maxPositionFraction, stopLoss, takeProfit, kellyFraction,
maxDrawdown, slippage}, capital, marketData (synthetic | csv | http), tick
(0-based count of completed ticks), now (ISO-8601 text), state (null or the
previous result's ``state``), ticksPerYear (optional, Sharpe annualisation).
capital only matters on the first tick; later ticks use the state's capital.
Unknown top-level fields are ignored (forward compatibility); unknown fields
inside parameters, risk and marketData are errors (they are usually typos).

marketData:
- {"type": "synthetic", "seed": int, "volatility": 0.02, "drift": 0.0,
  "warmup": 255, "dislocationRate": 0.05}: per-step returns drift +
  volatility x (0.6 market factor + 0.8 own noise); tick t is step warmup + t,
  so `warmup` prices of history exist at tick 0.
- {"type": "csv", "csv": "timestamp,symbol,price[,venue]\n..."}: tick n uses
  the n-th distinct timestamp in order of first appearance; rows with a venue
  are venue quotes; a symbol with only venue rows is priced at their mean.
- {"type": "http", "url": "https://...", "headers": {...}, "format": "json" |
  "csv", "timeoutSeconds": 10}: JSON {"SYM": price} or {"SYM": {"price": p,
  "venues": {"A": p}}}; CSV as above, using its latest timestamp.

State fields: version, strategy, tick, capital, cash, positions {symbol:
{quantity, avgPrice}}, lastPrices, windows {symbol: [last WINDOW_SIZE prices]},
generator (synthetic: {symbol: {step, price}}; csv: {timestamp}), realizedPnl,
trades {count, wins, grossWin, grossLoss}, returns {count, mean, m2},
equityCurve [[tick, equity]] (last EQUITY_CURVE_SIZE), lastEquity,
peakEquity, maxDrawdown, halted, haltReason, memory.

Result fields: tick, signals [{symbol, action, strength, price, reason}],
fills [{symbol, side, quantity, price, reason}], portfolio {cash, equity,
positions [{symbol, quantity, avgPrice, marketPrice, unrealizedPnl}]},
performance {totalReturn, sharpe, maxDrawdown, winRate, trades, realizedPnl},
halted, haltReason, state.

STRATEGY CONTRACT
-----------------
A strategy module defines:

``validate_parameters(params) -> dict``
    ``params`` is the spec's ``parameters`` object (a dict). Returns the
    normalised parameters with defaults filled in, or raises ValueError with
    a message naming the parameter. Unknown parameter names are errors.

``generate_signals(ctx) -> list``
    ``ctx`` is a dict with:

    - ``tick``: int, the input tick; ``now``: str, the input time.
    - ``symbols``: list of the spec's symbols; ``pairs``: list of [a, b].
    - ``prices``: {symbol: [float, ...]} price history, oldest first, at most
      WINDOW_SIZE points; the last element is the current price. Symbols
      without any data yet are absent.
    - ``quotes``: {symbol: {"price": float, "venues": {venue: float}}} for the
      symbols quoted this tick (synthetic data always has venues "A" and "B").
    - ``parameters``: the dict returned by validate_parameters.
    - ``risk``: the normalised risk settings.
    - ``portfolio``: a read-only view {cash, equity, positions: {symbol:
      {quantity, avgPrice, marketPrice}}}; quantity < 0 is a short.
    - ``memory``: a dict the strategy may update; it is persisted in the
      state between ticks (JSON values only, at most MEMORY_LIMIT_BYTES).

    It returns a list of signal dicts {symbol, action, strength, price,
    reason}: action is "buy", "sell" or "hold", strength is in [0, 1], price
    is the price the signal was computed at (defaults to the current quote).
    An arbitrage signal also carries ``arbitrage``: {buyVenue, sellVenue,
    fee}; the runtime then executes a simultaneous buy on buyVenue and sell
    on sellVenue at the quoted venue prices.

Optional module names: ``STRATEGY`` (the strategy name; checked against the
input's strategy) and ``REQUIRES_PAIRS`` (True: at least one pair needed).

EXECUTION RULES
---------------
- buy: covers a short, opens a long when flat, ignored when already long.
  sell: closes a long, opens a short when flat, ignored when already short.
- Size of an opening trade: equity x fraction x strength, where fraction is
  min(maxPositionFraction, kellyFraction x Kelly estimate) once the agent has
  MIN_KELLY_TRADES closed trades, and PRIOR_FRACTION_OF_CAP x
  maxPositionFraction before that. The Kelly estimate f* = W - (1-W)/R uses
  the agent's own closed trades; it is floored at KELLY_FLOOR_OF_CAP x
  maxPositionFraction so an agent with a poor record keeps sampling (the
  operator's guardrails suspend it) instead of freezing forever.
- Fills happen at the current price moved against the trader by ``slippage``.
  Quantities are floored to QUANTITY_DECIMALS decimals. Cash never goes
  negative: longs are limited to cash minus the cost of covering all shorts.
- Each closing fill (and each arbitrage round trip) is one closed trade.
- Before the strategy runs: positions in symbols no longer traded are closed,
  stop-loss / take-profit exits run per position (return vs avgPrice), and if
  the drawdown from peak equity exceeds maxDrawdown every position is
  flattened and the agent halts: it keeps reporting signals but never trades
  again (``halted`` stays true in the state until the state is reset).

PERFORMANCE
-----------
totalReturn = equity / capital - 1. Sharpe = mean / sample stdev of the
per-tick equity returns x sqrt(ticksPerYear); the default ticksPerYear is
252 x 390 (one tick per minute of a regular US session); 0 with fewer than two
returns or zero variance. maxDrawdown is the largest peak-to-trough fall of
end-of-tick equity (capital included as the first point) as a fraction of
the peak. winRate and trades count closed trades.
"""

import base64
import contextlib
import csv
import io
import json
import math
import os
import re
import sys
import types
import urllib.error
import urllib.parse
import urllib.request
import zlib

RESULT_PREFIX = "__AGENT_RESULT__"
STATE_VERSION = 1
SYMBOL_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9./:-]{0,19}")
STRATEGY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
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


def round_money(value):
    return round(float(value), 2)


def round_ratio(value):
    return round(float(value), 6)


def floor_quantity(value):
    # The epsilon keeps 0.3 / 0.1-style float noise from losing a whole lot.
    scale = 10 ** QUANTITY_DECIMALS
    return math.floor(value * scale + 1e-9) / scale if value > 0 else 0.0


# --------------------------------------------------------------------------
# Math used by the strategies
# --------------------------------------------------------------------------

def mean(values):
    values = list(values)
    if not values:
        raise ValueError("mean of an empty series")
    return math.fsum(values) / len(values)


def pstdev(values):
    """Population standard deviation (the convention for rolling z-scores)."""
    values = list(values)
    mu = mean(values)
    return math.sqrt(math.fsum((v - mu) ** 2 for v in values) / len(values))


def rate_of_change(prices, period):
    """Fractional change of the last price versus the price `period` steps earlier."""
    if period < 1 or len(prices) < period + 1:
        raise ValueError("rate_of_change needs %d prices, got %d" % (period + 1, len(prices)))
    base = prices[-1 - period]
    if base <= 0:
        raise ValueError("rate_of_change needs positive prices")
    return prices[-1] / base - 1.0


def zscore(values):
    """Z-score of the last value against the whole series; None if it is flat."""
    values = list(values)
    sigma = pstdev(values)
    if sigma <= 1e-12 * max(1.0, abs(mean(values))):
        return None
    return (values[-1] - mean(values)) / sigma


def least_squares(xs, ys):
    """Ordinary least squares ys = alpha + beta * xs; returns (beta, alpha)."""
    xs, ys = list(xs), list(ys)
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("least_squares needs two equally long series of >= 2 points")
    mx, my = mean(xs), mean(ys)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("least_squares: the x series is constant")
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    beta = sxy / sxx
    return beta, my - beta * mx


def signal(symbol, action, strength, price, reason, **extra):
    """Build a signal dict in the shape generate_signals must return."""
    result = {"symbol": symbol, "action": action, "strength": min(1.0, max(0.0, float(strength))),
              "price": price, "reason": reason}
    result.update(extra)
    return result


# --------------------------------------------------------------------------
# Risk and performance
# --------------------------------------------------------------------------

def kelly_estimate(trades, wins, gross_win, gross_loss):
    """Kelly fraction f* = W - (1 - W) / R from closed-trade statistics."""
    if trades <= 0 or wins <= 0:
        return 0.0
    win_rate = wins / trades
    losses = trades - wins
    if losses == 0 or gross_loss <= 0:
        return win_rate
    payoff = (gross_win / wins) / (gross_loss / losses)
    return win_rate - (1.0 - win_rate) / payoff


def position_fraction(risk, stats):
    """Fraction of equity for one new position (see EXECUTION RULES)."""
    cap = risk["maxPositionFraction"]
    if stats["count"] < MIN_KELLY_TRADES:
        return PRIOR_FRACTION_OF_CAP * cap
    kelly = kelly_estimate(stats["count"], stats["wins"], stats["grossWin"], stats["grossLoss"])
    return min(cap, max(KELLY_FLOOR_OF_CAP * cap, risk["kellyFraction"] * kelly))


def exit_reason(quantity, avg_price, price, risk):
    """'stop-loss' / 'take-profit' text when a position hits a limit, else None."""
    if quantity == 0 or avg_price <= 0:
        return None
    change = (price / avg_price - 1.0) * (1 if quantity > 0 else -1)
    if change <= -risk["stopLoss"]:
        return "stop-loss: %.2f%% vs avg %.6g" % (change * 100, avg_price)
    if change >= risk["takeProfit"]:
        return "take-profit: +%.2f%% vs avg %.6g" % (change * 100, avg_price)
    return None


def returns_from_equity(curve):
    return [curve[i] / curve[i - 1] - 1.0 for i in range(1, len(curve)) if curve[i - 1] > 0]


def sharpe_ratio(returns, periods_per_year=DEFAULT_TICKS_PER_YEAR):
    returns = list(returns)
    if len(returns) < 2:
        return 0.0
    mu = mean(returns)
    variance = math.fsum((r - mu) ** 2 for r in returns) / (len(returns) - 1)
    return _sharpe(mu, variance, periods_per_year)


def _sharpe(mu, variance, periods_per_year):
    if variance <= 1e-24:
        return 0.0
    return mu / math.sqrt(variance) * math.sqrt(periods_per_year)


def max_drawdown(curve):
    peak, worst = None, 0.0
    for value in curve:
        peak = value if peak is None else max(peak, value)
        if peak > 0:
            worst = max(worst, (peak - value) / peak)
    return worst


class ReturnStats:
    """Running mean/variance (Welford) so Sharpe needs no unbounded history."""

    def __init__(self, count=0, mean_value=0.0, m2=0.0):
        self.count, self.mean, self.m2 = count, mean_value, m2

    def add(self, value):
        self.count += 1
        delta = value - self.mean
        self.mean += delta / self.count
        self.m2 += delta * (value - self.mean)

    def sharpe(self, periods_per_year):
        if self.count < 2:
            return 0.0
        return _sharpe(self.mean, self.m2 / (self.count - 1), periods_per_year)

    def to_state(self):
        return {"count": self.count, "mean": self.mean, "m2": self.m2}


# --------------------------------------------------------------------------
# Deterministic pseudo-random numbers
# --------------------------------------------------------------------------

MASK64 = (1 << 64) - 1


def splitmix64(state):
    """One splitmix64 step: returns (next_state, output)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def mix_seed(seed, *parts):
    """Stable 64-bit seed from an integer seed and labels (crc32, not hash())."""
    state = seed & MASK64
    for part in parts:
        _, state = splitmix64(state ^ zlib.crc32(str(part).encode("utf-8")))
    return state


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next_u64(self):
        self.state, out = splitmix64(self.state)
        return out

    def uniform(self):
        """Uniform in [0, 1) from the top 53 bits."""
        return (self.next_u64() >> 11) / 9007199254740992.0

    def normal(self):
        # Irwin-Hall: pure arithmetic, so identical on every platform and
        # Python version (no libm calls whose last bit could differ).
        return math.fsum(self.uniform() for _ in range(12)) - 6.0


# --------------------------------------------------------------------------
# Market data
# --------------------------------------------------------------------------

def _append_window(windows, symbol, prices):
    window = windows.setdefault(symbol, [])
    window.extend(prices)
    del window[:-WINDOW_SIZE]


class SyntheticMarket:
    """Seeded random walks with a shared market factor and two venue quotes.

    Every value is a pure function of (seed, symbol, step): tick t is step
    warmup + t, so the first `warmup` steps are history available at tick 0.
    The state caches the last generated (step, price) per symbol, so a normal
    tick generates one step; without state the walk is regenerated from step
    0, which costs about 20 microseconds per step and symbol.
    """

    MARKET_LOADING = 0.6
    IDIOSYNCRATIC_LOADING = 0.8  # 0.6^2 + 0.8^2 = 1: total volatility is `volatility`
    VENUE_NOISE = 0.0003

    FIELDS = {"type", "seed", "volatility", "drift", "warmup", "dislocationRate"}

    def __init__(self, config):
        require_known_keys(config, self.FIELDS, "marketData (synthetic)")
        if "seed" not in config:
            raise ValueError("marketData.seed is required for synthetic data")
        self.seed = require_int(config["seed"], "marketData.seed", -(1 << 63), (1 << 64) - 1)
        self.volatility = require_number(config.get("volatility", 0.02), "marketData.volatility", 0.0, 0.1)
        self.drift = require_number(config.get("drift", 0.0), "marketData.drift", -0.05, 0.05)
        self.warmup = require_int(config.get("warmup", WINDOW_SIZE - 1), "marketData.warmup", 0, WINDOW_SIZE - 1)
        self.dislocation_rate = require_number(config.get("dislocationRate", 0.05),
                                               "marketData.dislocationRate", 0.0, 1.0)
        self._market_cache = {}

    def start_price(self, symbol):
        return round_price(20.0 + 480.0 * SplitMix64(mix_seed(self.seed, "start", symbol)).uniform())

    def market_factor(self, step):
        # Shared by all symbols; advance() caches it across the symbols of one call.
        cached = self._market_cache.get(step)
        if cached is None:
            cached = self._market_cache[step] = SplitMix64(mix_seed(self.seed, "market", step)).normal()
        return cached

    def step_return(self, symbol, step):
        market = self.market_factor(step)
        own = SplitMix64(mix_seed(self.seed, "own", symbol, step)).normal()
        return self.drift + self.volatility * (self.MARKET_LOADING * market + self.IDIOSYNCRATIC_LOADING * own)

    def next_price(self, symbol, step, previous):
        return max(0.000001, round_price(previous * (1.0 + self.step_return(symbol, step))))

    def venues(self, symbol, step, price):
        rng = SplitMix64(mix_seed(self.seed, "venues", symbol, step))
        quote_a = price * (1.0 + self.VENUE_NOISE * (rng.uniform() - 0.5))
        quote_b = price * (1.0 + self.VENUE_NOISE * (rng.uniform() - 0.5))
        if rng.uniform() < self.dislocation_rate:
            # A dislocation: one venue lags by 0.3% to 1%, in either direction.
            gap = (0.003 + 0.007 * rng.uniform()) * (1 if rng.uniform() < 0.5 else -1)
            if rng.uniform() < 0.5:
                quote_a *= 1.0 + gap
            else:
                quote_b *= 1.0 + gap
        return {"A": round_price(quote_a), "B": round_price(quote_b)}

    def advance(self, universe, tick, windows, generator):
        """Bring each symbol to step warmup + tick; returns (quotes, generator)."""
        target = self.warmup + tick
        quotes, new_generator = {}, {}
        for symbol in universe:
            cached = generator.get(symbol)
            resumable = (isinstance(cached, dict) and symbol in windows
                         and is_number(cached.get("step")) and is_number(cached.get("price"))
                         and 0 <= cached["step"] <= target)
            if resumable:
                step, price = int(cached["step"]), float(cached["price"])
            else:
                windows.pop(symbol, None)
                step, price = 0, self.start_price(symbol)
                _append_window(windows, symbol, [price])
            # Walking from an earlier step only needs the last WINDOW_SIZE prices.
            produced = []
            while step < target:
                step += 1
                price = self.next_price(symbol, step, price)
                produced.append(price)
                if len(produced) > 2 * WINDOW_SIZE:
                    del produced[:-WINDOW_SIZE]
            _append_window(windows, symbol, produced)
            quotes[symbol] = {"price": price, "venues": self.venues(symbol, step, price)}
            new_generator[symbol] = {"step": step, "price": price}
        self._market_cache.clear()
        return quotes, new_generator


def parse_price_csv(text, source="marketData.csv"):
    """Parse `timestamp,symbol,price[,venue]` rows (an optional header row).

    Returns (timestamps in order of first appearance, {timestamp: {symbol:
    {"price": float or None, "venues": {venue: float}}}}).
    """
    if not isinstance(text, str):
        raise MarketDataError("%s must be a string" % source)
    timestamps, table = [], {}
    reader = csv.reader(io.StringIO(text))
    for line_number, row in enumerate(reader, start=1):
        row = [cell.strip() for cell in row]
        if not row or all(not cell for cell in row):
            continue
        if line_number == 1 and [c.lower() for c in row[:3]] == ["timestamp", "symbol", "price"]:
            continue
        if len(row) not in (3, 4):
            raise MarketDataError("%s line %d: expected timestamp,symbol,price[,venue], got %d fields"
                                  % (source, line_number, len(row)))
        stamp, symbol, price_text = row[0], row[1], row[2]
        if not stamp:
            raise MarketDataError("%s line %d: empty timestamp" % (source, line_number))
        try:
            validate_symbol(symbol)
        except ValueError:
            raise MarketDataError("%s line %d: invalid symbol %s" % (source, line_number, describe(symbol)))
        try:
            price = float(price_text)
        except ValueError:
            raise MarketDataError("%s line %d: price %s is not a number"
                                  % (source, line_number, describe(price_text)))
        if not math.isfinite(price) or price <= 0:
            raise MarketDataError("%s line %d: price must be positive and finite" % (source, line_number))
        if stamp not in table:
            timestamps.append(stamp)
            table[stamp] = {}
        entry = table[stamp].setdefault(symbol, {"price": None, "venues": {}})
        if len(row) == 4 and row[3]:
            venue = row[3]
            if not VENUE_PATTERN.fullmatch(venue):
                raise MarketDataError("%s line %d: invalid venue %s" % (source, line_number, describe(venue)))
            if venue in entry["venues"]:
                raise MarketDataError("%s line %d: duplicate row for %s %s venue %s"
                                      % (source, line_number, stamp, symbol, venue))
            entry["venues"][venue] = round_price(price)
        else:
            if entry["price"] is not None:
                raise MarketDataError("%s line %d: duplicate row for %s %s" % (source, line_number, stamp, symbol))
            entry["price"] = round_price(price)
    return timestamps, table


def _quote_from_entry(entry):
    """A quote from a parsed row set; a symbol with venues only is priced at their mean."""
    price = entry["price"]
    if price is None:
        price = round_price(mean(entry["venues"].values()))
    return {"price": price, "venues": dict(sorted(entry["venues"].items()))}


class CsvMarket:
    """Tick n uses the n-th distinct timestamp of the CSV."""

    FIELDS = {"type", "csv"}

    def __init__(self, config):
        require_known_keys(config, self.FIELDS, "marketData (csv)")
        if not isinstance(config.get("csv"), str) or not config["csv"].strip():
            raise ValueError("marketData.csv must be non-empty CSV text")
        self.timestamps, self.table = parse_price_csv(config["csv"])
        if not self.timestamps:
            raise MarketDataError("marketData.csv has no data rows")

    def advance(self, universe, tick, windows, generator):
        if tick >= len(self.timestamps):
            raise MarketDataError("marketData.csv is exhausted: tick %d needs timestamp #%d but the CSV has %d"
                                  % (tick, tick + 1, len(self.timestamps)))
        for symbol in universe:
            if symbol not in windows:
                # No carried history (first tick or lost state): rebuild it from earlier rows.
                history = [self.table[stamp][symbol] for stamp in self.timestamps[:tick] if symbol in self.table[stamp]]
                if history:
                    _append_window(windows, symbol, [_quote_from_entry(e)["price"] for e in history[-(WINDOW_SIZE - 1):]])
        quotes = {}
        row_set = self.table[self.timestamps[tick]]
        for symbol in universe:
            if symbol in row_set:
                quotes[symbol] = _quote_from_entry(row_set[symbol])
                _append_window(windows, symbol, [quotes[symbol]["price"]])
        return quotes, {"timestamp": self.timestamps[tick]}


class HttpMarket:
    """Current quotes fetched with urllib from a provider URL on every tick."""

    FIELDS = {"type", "url", "headers", "format", "timeoutSeconds"}

    def __init__(self, config):
        require_known_keys(config, self.FIELDS, "marketData (http)")
        url = config.get("url")
        if not isinstance(url, str) or len(url) > 2048:
            raise ValueError("marketData.url must be a URL string")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("marketData.url must be an http:// or https:// URL")
        self.url = url
        # Error messages show only scheme://host/path: queries may hold secrets.
        self.display_url = "%s://%s%s" % (parsed.scheme, parsed.hostname or "", parsed.path)
        headers = require_dict(config.get("headers", {}) or {}, "marketData.headers")
        self.headers = {}
        for name, value in headers.items():
            if not isinstance(name, str) or not HEADER_NAME_PATTERN.fullmatch(name):
                raise ValueError("marketData.headers has an invalid header name %s" % describe(name))
            if not isinstance(value, str) or "\r" in value or "\n" in value or len(value) > 8192:
                raise ValueError("marketData.headers[%s] must be a single-line string" % name)
            self.headers[name] = value
        self.format = config.get("format", "json")
        if self.format not in ("json", "csv"):
            raise ValueError("marketData.format must be \"json\" or \"csv\", got %s" % describe(self.format))
        self.timeout = require_number(config.get("timeoutSeconds", HTTP_DEFAULT_TIMEOUT),
                                      "marketData.timeoutSeconds", 0.0, 60.0, min_inclusive=False)

    def fetch(self):
        request = urllib.request.Request(self.url, headers=self.headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(HTTP_MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise MarketDataError("marketData.http: %s returned HTTP %d" % (self.display_url, error.code))
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise MarketDataError("marketData.http: %s could not be fetched: %s" % (self.display_url, reason))
        if len(body) > HTTP_MAX_BYTES:
            raise MarketDataError("marketData.http: response from %s is larger than %d bytes"
                                  % (self.display_url, HTTP_MAX_BYTES))
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise MarketDataError("marketData.http: response from %s is not UTF-8" % self.display_url)

    def parse(self, text):
        if self.format == "csv":
            timestamps, table = parse_price_csv(text, "marketData.http csv")
            if not timestamps:
                raise MarketDataError("marketData.http: CSV response has no data rows")
            latest = table[timestamps[-1]]
            return {symbol: _quote_from_entry(entry) for symbol, entry in latest.items()}
        try:
            document = json.loads(text, parse_constant=_reject_constant)
        except ValueError as error:
            raise MarketDataError("marketData.http: response is not valid JSON: %s" % error)
        if not isinstance(document, dict):
            raise MarketDataError("marketData.http: JSON response must be an object of symbol -> price")
        quotes = {}
        for symbol, value in document.items():
            if not isinstance(symbol, str) or not SYMBOL_PATTERN.fullmatch(symbol):
                continue  # providers may return extra keys; only valid symbols can be traded
            where = "marketData.http: %s" % symbol
            if isinstance(value, dict):
                venues = require_dict(value.get("venues", {}) or {}, where + ".venues")
                clean = {}
                for venue, venue_price in venues.items():
                    if not isinstance(venue, str) or not VENUE_PATTERN.fullmatch(venue):
                        raise MarketDataError("%s has an invalid venue name %s" % (where, describe(venue)))
                    clean[venue] = round_price(require_number(venue_price, "%s.venues.%s" % (where, venue),
                                                              0.0, min_inclusive=False))
                if "price" in value:
                    price = require_number(value["price"], where + ".price", 0.0, min_inclusive=False)
                elif clean:
                    price = mean(clean.values())
                else:
                    raise MarketDataError("%s has neither price nor venues" % where)
                quotes[symbol] = {"price": round_price(price), "venues": dict(sorted(clean.items()))}
            else:
                price = require_number(value, where, 0.0, min_inclusive=False)
                quotes[symbol] = {"price": round_price(price), "venues": {}}
        return quotes

    def advance(self, universe, tick, windows, generator):
        available = self.parse(self.fetch())
        quotes = {symbol: available[symbol] for symbol in universe if symbol in available}
        for symbol, quote in quotes.items():
            _append_window(windows, symbol, [quote["price"]])
        return quotes, {}


MARKETS = {"synthetic": SyntheticMarket, "csv": CsvMarket, "http": HttpMarket}


def make_market(config):
    require_dict(config, "marketData")
    kind = config.get("type")
    if kind not in MARKETS:
        raise ValueError("marketData.type must be one of %s, got %s" % (", ".join(MARKETS), describe(kind)))
    return MARKETS[kind](config)


# --------------------------------------------------------------------------
# Portfolio
# --------------------------------------------------------------------------

class Portfolio:
    """Cash, signed positions and closed-trade statistics; records every fill."""

    def __init__(self, cash, positions=None, realized=0.0, stats=None, slippage=0.0):
        self.cash = float(cash)
        self.positions = positions if positions is not None else {}
        self.realized = float(realized)
        self.stats = stats if stats is not None else {"count": 0, "wins": 0, "grossWin": 0.0, "grossLoss": 0.0}
        self.slippage = slippage
        self.fills = []

    def equity(self, prices):
        return self.cash + math.fsum(p["quantity"] * prices[s] for s, p in self.positions.items())

    def short_liability(self, prices):
        return math.fsum(-p["quantity"] * prices[s] for s, p in self.positions.items() if p["quantity"] < 0)

    def fill_price(self, side, price):
        factor = (1.0 + self.slippage) if side == "buy" else (1.0 - self.slippage)
        return round_price(price * factor)

    def _record(self, symbol, side, quantity, price, reason):
        self.fills.append({"symbol": symbol, "side": side, "quantity": round(quantity, QUANTITY_DECIMALS),
                           "price": round_price(price), "reason": reason[:REASON_LIMIT]})

    def _closed_trade(self, pnl):
        self.realized += pnl
        self.stats["count"] += 1
        if pnl > 0:
            self.stats["wins"] += 1
            self.stats["grossWin"] += pnl
        else:
            self.stats["grossLoss"] += -pnl

    def open(self, symbol, side, notional, price, prices, reason):
        """Open a position worth up to `notional`; returns the quantity filled."""
        if symbol in self.positions or notional <= 0:
            return 0.0
        fill = self.fill_price(side, price)
        if side == "buy":
            # Keep enough cash to cover every short: cash can never go negative.
            notional = min(notional, self.cash - self.short_liability(prices))
        quantity = floor_quantity(notional / fill)
        if quantity <= 0:
            return 0.0
        if side == "buy":
            self.cash -= quantity * fill
            self.positions[symbol] = {"quantity": quantity, "avgPrice": fill}
        else:
            self.cash += quantity * fill
            self.positions[symbol] = {"quantity": -quantity, "avgPrice": fill}
        self._record(symbol, side, quantity, fill, reason)
        return quantity

    def close(self, symbol, price, reason):
        """Close (or, for a short the cash cannot fully cover, reduce) a position."""
        position = self.positions.get(symbol)
        if not position:
            return 0.0
        quantity, avg = position["quantity"], position["avgPrice"]
        if quantity > 0:
            fill = self.fill_price("sell", price)
            self.cash += quantity * fill
            self._closed_trade(quantity * (fill - avg))
            del self.positions[symbol]
            self._record(symbol, "sell", quantity, fill, reason)
            return quantity
        fill = self.fill_price("buy", price)
        cover = min(-quantity, floor_quantity(self.cash / fill))
        if cover <= 0:
            return 0.0
        self.cash -= cover * fill
        self._closed_trade(cover * (avg - fill))
        remaining = round(quantity + cover, QUANTITY_DECIMALS)
        if remaining < 0:
            position["quantity"] = remaining
            reason += " (partial: not enough cash)"
        else:
            del self.positions[symbol]
        self._record(symbol, "buy", cover, fill, reason)
        return cover

    def arbitrage(self, symbol, notional, buy_venue, buy_price, sell_venue, sell_price, fee):
        """Simultaneous buy and sell on two venues; the net profit is realised at once."""
        if sell_price <= buy_price:
            return None  # not an arbitrage; refusing it also bounds the loss to fees
        notional = min(notional, self.cash)
        quantity = floor_quantity(notional / buy_price)
        if quantity <= 0:
            return None
        net = arbitrage_net_profit(quantity, buy_price, sell_price, fee)
        self.cash += net
        self._closed_trade(net)
        self._record(symbol, "buy", quantity, buy_price, "arbitrage: buy on venue %s" % buy_venue)
        self._record(symbol, "sell", quantity, sell_price,
                     "arbitrage: sell on venue %s, net %+.2f after fees" % (sell_venue, net))
        return net


def arbitrage_net_profit(quantity, buy_price, sell_price, fee):
    """Gross venue spread minus a round-trip fee charged on the bought notional."""
    return quantity * (sell_price - buy_price) - fee * quantity * buy_price


# --------------------------------------------------------------------------
# Input and state
# --------------------------------------------------------------------------

def _reject_constant(name):
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
        "slippage": require_number(values["slippage"], "risk.slippage", 0.0, 0.05, max_inclusive=False),
    }


def parse_input(text):
    """Parse and validate AGENT_INPUT text into a normalised dict (raises ValueError)."""
    if text is None:
        raise ValueError("AGENT_INPUT is not set")
    if len(text) > MAX_INPUT_BYTES:
        raise ValueError("AGENT_INPUT is larger than %d bytes" % MAX_INPUT_BYTES)
    try:
        document = json.loads(text, parse_constant=_reject_constant)
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


def _restore_state(state, capital):
    """Validate a previous state (it is data from a ConfigMap) into working values."""
    fresh = {
        "capital": capital, "cash": capital, "positions": {}, "lastPrices": {}, "windows": {},
        "generator": {}, "market": {}, "realizedPnl": 0.0,
        "trades": {"count": 0, "wins": 0, "grossWin": 0.0, "grossLoss": 0.0},
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
        restored["cash"] = require_number(state["cash"], "state.cash", 0.0)
        positions = {}
        for symbol, position in require_dict(state["positions"], "state.positions").items():
            validate_symbol(symbol, "state.positions key")
            positions[symbol] = {
                "quantity": require_number(position["quantity"], "state.positions.%s.quantity" % symbol),
                "avgPrice": require_number(position["avgPrice"], "state.positions.%s.avgPrice" % symbol,
                                           0.0, min_inclusive=False),
            }
        restored["positions"] = positions
        restored["lastPrices"] = {validate_symbol(s, "state.lastPrices key"):
                                  require_number(p, "state.lastPrices.%s" % s, 0.0, min_inclusive=False)
                                  for s, p in require_dict(state["lastPrices"], "state.lastPrices").items()}
        windows = {}
        for symbol, window in require_dict(state["windows"], "state.windows").items():
            validate_symbol(symbol, "state.windows key")
            if not isinstance(window, list):
                raise ValueError("state.windows.%s must be a list" % symbol)
            windows[symbol] = [require_number(p, "state.windows.%s[]" % symbol, 0.0, min_inclusive=False)
                               for p in window[-WINDOW_SIZE:]]
        restored["windows"] = windows
        restored["generator"] = require_dict(state.get("generator", {}), "state.generator")
        restored["realizedPnl"] = require_number(state["realizedPnl"], "state.realizedPnl")
        trades = require_dict(state["trades"], "state.trades")
        restored["trades"] = {
            "count": require_int(trades["count"], "state.trades.count", 0),
            "wins": require_int(trades["wins"], "state.trades.wins", 0),
            "grossWin": require_number(trades["grossWin"], "state.trades.grossWin", 0.0),
            "grossLoss": require_number(trades["grossLoss"], "state.trades.grossLoss", 0.0),
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
        return restored
    except (KeyError, TypeError) as error:
        raise ValueError("state is incomplete or malformed (%s: %s)" % (type(error).__name__, error))


# --------------------------------------------------------------------------
# The tick
# --------------------------------------------------------------------------

def _strategy_hooks(strategy):
    if strategy is None:
        namespace = globals()
    elif isinstance(strategy, dict):
        namespace = strategy
    else:
        namespace = vars(strategy)
    generate = namespace.get("generate_signals")
    validate = namespace.get("validate_parameters")
    if not callable(generate):
        raise ValueError("the deployed strategy code does not define generate_signals(ctx)")
    if not callable(validate):
        raise ValueError("the deployed strategy code does not define validate_parameters(params)")
    return generate, validate, namespace.get("STRATEGY"), bool(namespace.get("REQUIRES_PAIRS", False))


def _read_only(value):
    if isinstance(value, dict):
        return types.MappingProxyType({k: _read_only(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_read_only(v) for v in value)
    return value


def _normalise_signals(raw, universe, quotes):
    if raw is None:
        return []
    if not isinstance(raw, (list, tuple)):
        raise ValueError("generate_signals must return a list of signal dicts, got %s" % type(raw).__name__)
    if len(raw) > MAX_SIGNALS:
        raise ValueError("generate_signals returned more than %d signals" % MAX_SIGNALS)
    signals = []
    for i, item in enumerate(raw):
        where = "signal #%d" % i
        if not isinstance(item, dict):
            raise ValueError("%s must be a dict, got %s" % (where, type(item).__name__))
        symbol = validate_symbol(item.get("symbol"), where + ".symbol")
        if symbol not in universe:
            raise ValueError("%s is for %s, which is not one of the agent's symbols" % (where, symbol))
        action = item.get("action")
        if action not in ACTIONS:
            raise ValueError("%s.action must be buy, sell or hold, got %s" % (where, describe(action)))
        strength = require_number(item.get("strength", 0.0), where + ".strength", 0.0, 1.0)
        if item.get("price") is None:
            if symbol not in quotes:
                raise ValueError("%s has no price and %s has no quote this tick" % (where, symbol))
            price = quotes[symbol]["price"]
        else:
            price = require_number(item["price"], where + ".price", 0.0, min_inclusive=False)
        reason = item.get("reason", "")
        if not isinstance(reason, str):
            raise ValueError("%s.reason must be a string" % where)
        normalised = {"symbol": symbol, "action": action, "strength": round_ratio(strength),
                      "price": round_price(price), "reason": reason[:REASON_LIMIT]}
        arbitrage = item.get("arbitrage")
        if arbitrage is not None:
            require_dict(arbitrage, where + ".arbitrage")
            venues = quotes.get(symbol, {}).get("venues", {})
            for key in ("buyVenue", "sellVenue"):
                if arbitrage.get(key) not in venues:
                    raise ValueError("%s.arbitrage.%s must be a venue quoted for %s this tick"
                                     % (where, key, symbol))
            if arbitrage["buyVenue"] == arbitrage["sellVenue"]:
                raise ValueError("%s.arbitrage needs two different venues" % where)
            fee = require_number(arbitrage.get("fee", 0.0), where + ".arbitrage.fee", 0.0, 0.1)
            normalised["_arbitrage"] = (arbitrage["buyVenue"], arbitrage["sellVenue"], fee)
        signals.append(normalised)
    return signals


def _execute(signals, portfolio, prices, quotes, fraction):
    """Apply the EXECUTION RULES to the normalised signals, in order."""
    for item in signals:
        symbol, action = item["symbol"], item["action"]
        if action == "hold" or symbol not in quotes:
            continue
        price = quotes[symbol]["price"]
        equity = portfolio.equity(prices)
        notional = max(0.0, equity) * fraction * item["strength"]
        reason = item["reason"] or action
        if "_arbitrage" in item:
            buy_venue, sell_venue, fee = item["_arbitrage"]
            venues = quotes[symbol]["venues"]
            portfolio.arbitrage(symbol, notional, buy_venue, venues[buy_venue], sell_venue, venues[sell_venue], fee)
            continue
        held = portfolio.positions.get(symbol, {}).get("quantity", 0.0)
        if (action == "buy" and held < 0) or (action == "sell" and held > 0):
            portfolio.close(symbol, price, reason)
        elif held == 0:
            portfolio.open(symbol, action, notional, price, prices, reason)


def run_tick(agent_input, strategy=None):
    """One decision step. `agent_input` is AGENT_INPUT text or an already-parsed dict.

    `strategy` is the strategy module (or namespace dict); None means the names
    defined next to this code in the deployed context. Returns the result dict.
    """
    if isinstance(agent_input, dict):
        agent_input = json.dumps(agent_input)
    request = parse_input(agent_input)
    generate, validate, declared, requires_pairs = _strategy_hooks(strategy)
    name = request["strategy"]
    if declared is not None and name != "custom" and declared != name:
        raise ValueError("strategy is %s but the deployed code is %s" % (describe(name), describe(declared)))
    if requires_pairs and not request["pairs"]:
        raise ValueError("strategy %s needs at least one entry in pairs" % name)
    # Strategy code must not corrupt the single result line on stdout.
    with contextlib.redirect_stdout(sys.stderr):
        parameters = validate(dict(request["parameters"]))
    if not isinstance(parameters, dict):
        raise ValueError("validate_parameters must return a dict")
    risk, universe, tick = request["risk"], request["universe"], request["tick"]
    market = make_market(request["marketData"])
    st = _restore_state(request["state"], request["capital"])

    # Market data: only traded symbols keep history.
    windows = {s: w for s, w in st["windows"].items() if s in universe}
    quotes, generator = market.advance(universe, tick, windows, st["generator"])
    last_prices = dict(st["lastPrices"])
    for symbol, quote in quotes.items():
        last_prices[symbol] = quote["price"]
    for symbol in st["positions"]:
        if symbol not in last_prices:
            last_prices[symbol] = st["positions"][symbol]["avgPrice"]

    portfolio = Portfolio(st["cash"], st["positions"], st["realizedPnl"], st["trades"], risk["slippage"])
    for symbol in sorted(s for s in portfolio.positions if s not in universe):
        portfolio.close(symbol, last_prices[symbol], "symbol removed from the agent")

    halted, halt_reason = st["halted"], st["haltReason"]
    peak = st["peakEquity"]
    equity_now = portfolio.equity(last_prices)
    drawdown_now = (peak - equity_now) / peak if peak > 0 else 0.0
    if not halted and drawdown_now > risk["maxDrawdown"]:
        halted = True
        halt_reason = "drawdown %.2f%% exceeded maxDrawdown %.2f%% at tick %d; positions flattened" % (
            drawdown_now * 100, risk["maxDrawdown"] * 100, tick)
        for symbol in sorted(portfolio.positions):
            portfolio.close(symbol, last_prices[symbol], "max-drawdown: flatten")
    elif not halted:
        for symbol in sorted(portfolio.positions):
            if symbol in quotes:
                position = portfolio.positions[symbol]
                why = exit_reason(position["quantity"], position["avgPrice"], quotes[symbol]["price"], risk)
                if why:
                    portfolio.close(symbol, quotes[symbol]["price"], why)

    memory = json.loads(json.dumps(st["memory"]))
    equity_before = portfolio.equity(last_prices)
    ctx = {
        "tick": tick, "now": request["now"], "symbols": list(request["symbols"]),
        "pairs": [list(p) for p in request["pairs"]],
        "prices": {s: list(w) for s, w in windows.items()},
        "quotes": {s: {"price": q["price"], "venues": dict(q["venues"])} for s, q in quotes.items()},
        "parameters": parameters, "risk": dict(risk), "memory": memory,
        "portfolio": _read_only({
            "cash": portfolio.cash, "equity": equity_before,
            "positions": {s: {"quantity": p["quantity"], "avgPrice": p["avgPrice"], "marketPrice": last_prices[s]}
                          for s, p in portfolio.positions.items()},
        }),
    }
    with contextlib.redirect_stdout(sys.stderr):
        raw_signals = generate(ctx)
    signals = _normalise_signals(raw_signals, universe, quotes)
    try:
        memory_text = json.dumps(memory, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise ValueError("ctx['memory'] must hold JSON values only: %s" % error)
    if len(memory_text) > MEMORY_LIMIT_BYTES:
        raise ValueError("ctx['memory'] is larger than %d bytes" % MEMORY_LIMIT_BYTES)

    if not halted:
        _execute(signals, portfolio, last_prices, quotes, position_fraction(risk, portfolio.stats))

    # Bookkeeping on end-of-tick equity.
    equity = portfolio.equity(last_prices)
    returns = st["returns"]
    if st["lastEquity"] > 0:
        returns.add(equity / st["lastEquity"] - 1.0)
    peak = max(peak, equity)
    worst = max(st["maxDrawdown"], (peak - equity) / peak if peak > 0 else 0.0)
    curve = (st["equityCurve"] + [[tick, equity]])[-EQUITY_CURVE_SIZE:]
    stats = portfolio.stats

    positions_out = []
    for symbol in sorted(portfolio.positions):
        position = portfolio.positions[symbol]
        market_price = last_prices[symbol]
        positions_out.append({
            "symbol": symbol, "quantity": round(position["quantity"], QUANTITY_DECIMALS),
            "avgPrice": round_price(position["avgPrice"]), "marketPrice": round_price(market_price),
            "unrealizedPnl": round_money(position["quantity"] * (market_price - position["avgPrice"])),
        })

    # Money in the state keeps 6 decimals: tidy, yet far below a cent of drift.
    # Both a continuing and a restored context read these same rounded values.
    state_out = {
        "version": STATE_VERSION, "strategy": name, "tick": tick, "capital": st["capital"],
        "cash": round(portfolio.cash, 6), "positions": portfolio.positions,
        "lastPrices": {s: p for s, p in sorted(last_prices.items()) if s in universe or s in portfolio.positions},
        "windows": windows, "generator": generator, "realizedPnl": round(portfolio.realized, 6),
        "trades": {"count": stats["count"], "wins": stats["wins"], "grossWin": round(stats["grossWin"], 6),
                   "grossLoss": round(stats["grossLoss"], 6)},
        "returns": returns.to_state(), "equityCurve": [[t, round(e, 2)] for t, e in curve],
        "lastEquity": round(equity, 6), "peakEquity": round(peak, 6), "maxDrawdown": worst,
        "halted": halted, "haltReason": halt_reason, "memory": json.loads(memory_text),
    }
    return {
        "tick": tick,
        "signals": [{k: v for k, v in s.items() if not k.startswith("_")} for s in signals],
        "fills": portfolio.fills,
        "portfolio": {"cash": round_money(portfolio.cash), "equity": round_money(equity), "positions": positions_out},
        "performance": {
            "totalReturn": round_ratio(equity / st["capital"] - 1.0),
            "sharpe": round(returns.sharpe(request["ticksPerYear"]), 4),
            "maxDrawdown": round_ratio(worst),
            "winRate": round_ratio(stats["wins"] / stats["count"]) if stats["count"] else 0.0,
            "trades": stats["count"],
            "realizedPnl": round_money(portfolio.realized),
        },
        "halted": halted,
        "haltReason": halt_reason,
        "state": state_out,
    }


def format_result(result):
    return RESULT_PREFIX + json.dumps(result, separators=(",", ":"), sort_keys=True, allow_nan=False)


def decode_input(encoded):
    """The operator's input: base64 of the UTF-8 JSON text (only base64 characters ever appear in the cell)."""
    if not isinstance(encoded, str) or len(encoded) > (MAX_INPUT_BYTES // 3 + 1) * 4:
        raise ValueError("the encoded AGENT_INPUT must be a base64 string of at most %d bytes" % MAX_INPUT_BYTES)
    try:
        return base64.b64decode(encoded.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, UnicodeError) as error:
        raise ValueError("the encoded AGENT_INPUT is not base64 of UTF-8 text: %s" % error)


def __agent_tick__(strategy=None, agent_input=None):
    """The operator's fixed tick cell: the input in, one result line out.

    The operator passes ``agent_input`` as base64 text; without it the input is read from the environment
    variable AGENT_INPUT (plain JSON).
    """
    text = os.environ.get("AGENT_INPUT") if agent_input is None else decode_input(agent_input)
    result = run_tick(text, strategy if strategy is not None else globals())
    sys.stdout.write(format_result(result) + "\n")
    sys.stdout.flush()
