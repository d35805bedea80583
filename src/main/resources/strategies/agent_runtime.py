"""Paper-trading runtime for e2b-operator trading agents.

This module (the tick) and its parts runtime_indicators.py (indicators and
performance math), runtime_inputs.py (limits, validation, input and state),
runtime_markets.py (market data), runtime_observations.py (what each tick
saw of the market) and runtime_portfolio.py (fills and risk)
are deployed, in the order of runtime_modules.txt and as one cell, into an
E2B code-interpreter context followed by exactly one strategy module
(momentum.py, mean_reversion.py, pairs_trading.py, arbitrage.py or a user's
custom source); imported as modules they work the same. Executing that text
only defines names; nothing is printed, read or fetched until the operator
runs the fixed cell ``__agent_tick__()``.

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
previous result's ``state``), ticksPerYear (Sharpe annualisation; the
operator derives it from the interval and market hours).
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
  "venues": {"A": p}, "volume": v, "bid": b, "ask": a}} (volume, bid and
  ask optional; bid and ask together); CSV as above, using its newest timestamp (epoch
  numbers and ISO-8601 times in time order).
Every price must be in [MIN_PRICE, MAX_PRICE] after rounding to 6 decimals.

State fields: version, strategy, tick, capital, cash, positions {symbol:
{quantity, avgPrice[, group]}}, lastPrices, windows {symbol: [last
WINDOW_SIZE prices]}, steps {symbol: [the market step of each window price]},
generator (synthetic: {symbol: {step, price}}; csv: {timestamp}), market (the
data source's identity: another seed, volatility, CSV or URL restarts the
history), realizedPnl, trades {count, wins, losses, grossWin, grossLoss,
winReturn, lossReturn}, returns {count, mean, m2}, equityCurve [[tick,
equity]] (last EQUITY_CURVE_SIZE), lastEquity, peakEquity, maxDrawdown,
halted, haltReason, memory (dropped when the strategy changes).

Result fields: tick, signals [{symbol, action, strength, price, reason}],
fills [{symbol, side, quantity, price, reason}], portfolio {cash, equity,
positions [{symbol, quantity, avgPrice, marketPrice, unrealizedPnl}]},
performance {totalReturn, sharpe, maxDrawdown, winRate, trades, realizedPnl},
observations [{symbol, window, volatility, volume, spread}], halted,
haltReason, state.

observations: one per symbol quoted this tick. volatility is the sample
standard deviation of the last `window` per-step returns (window: the
strategy's windowSize, lookback or period parameter, else
DEFAULT_OBSERVATION_WINDOW; absent with fewer than 2 returns); volume is the
quote's volume (absent when the source has none); spread is (ask - bid) /
mid, or with no bid/ask (highest - lowest) / mean of two or more venue
quotes (absent otherwise).

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
    - ``steps``: {symbol: [int, ...]} the market step of each price (tick n
      is step n; a feed that skips a symbol leaves a gap), for aligning the
      series of two symbols.
    - ``quotes``: {symbol: {"price": float, "venues": {venue: float}}} for the
      symbols quoted this tick (synthetic data always has venues "A" and "B"),
      with "volume", "bid" and "ask" where the data source has them.
    - ``parameters``: the dict returned by validate_parameters.
    - ``risk``: the normalised risk settings.
    - ``portfolio``: a read-only view {cash, equity, positions: {symbol:
      {quantity, avgPrice, marketPrice, group}}}; quantity < 0 is a short;
      group is the group a position was opened in (None for a single one).
    - ``memory``: a dict the strategy may update; it is persisted in the
      state between ticks (JSON values only, at most MEMORY_LIMIT_BYTES).

    It returns a list of signal dicts {symbol, action, strength, price,
    reason}: action is "buy", "sell" or "hold", strength is in [0, 1], price
    is the price the signal was computed at (defaults to the current quote).
    An arbitrage signal also carries ``arbitrage``: {buyVenue, sellVenue,
    fee}; the runtime then executes a simultaneous buy on buyVenue and sell
    on sellVenue at the quoted venue prices. A signal may carry ``group``
    (^[A-Z0-9./:_-]{1,64}$, e.g. "KO/PEP"): the signals of one group are one
    position (see EXECUTION RULES).

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
  the agent's own closed trades: W = wins / (wins + losses), R = mean win
  return / mean loss return (returns on the entry notional); it is floored
  at KELLY_FLOOR_OF_CAP x maxPositionFraction so an agent with a poor record
  keeps sampling (the operator's guardrails suspend it) instead of freezing.
- Fills happen at the current price moved against the trader by
  ``slippage`` (arbitrage legs too). Quantities are floored to
  QUANTITY_DECIMALS decimals. Opening limits, for longs and shorts alike:
  gross exposure (longs plus shorts at market) stays within
  MAX_GROSS_EXPOSURE x equity, and longs are limited to cash minus the cost
  of covering all shorts. A close is always in full: covering a short that
  costs more than the cash leaves a negative cash balance (a debit no long
  can be opened against).
- Grouped signals (the legs of a pair) open all their legs or none, scaled
  down together to fit the limits; a closing signal for any leg closes every
  leg; a group opens only when none of its symbols is held.
- A closed trade is one closed position: a single position, a whole group
  (its legs' PnL summed) or one arbitrage round trip. PnL > 0 is a win,
  PnL < 0 a loss, PnL = 0 neither (a scratch).
- Before the strategy runs: positions in symbols no longer traded are closed
  (with their group); if the drawdown from peak equity exceeds maxDrawdown
  every position is flattened (longs sold first, then every short covered
  in full) and the agent halts: it keeps reporting signals but never trades
  again and holds nothing (``halted`` stays true in the state until the
  state is reset); otherwise stop-loss / take-profit exits run per position,
  on its return vs its entry notional (a group's legs combined).
- A symbol closed during a tick (by a risk exit or a signal) is not traded
  again in that tick.

PERFORMANCE
-----------
totalReturn = equity / capital - 1. Sharpe = mean / sample stdev of the
per-tick equity returns x sqrt(ticksPerYear); without ticksPerYear it is
252 x 390 (one tick per minute of a regular US session); 0 with fewer than two
returns or a flat series (see is_flat). maxDrawdown is the largest
peak-to-trough fall of end-of-tick equity (capital included as the first
point) as a fraction of the peak. winRate = wins / closed trades; trades
counts closed trades. Sharpe and drawdown are computed by ReturnStats and
Drawdown, the same code the tests check (sharpe_ratio, max_drawdown).
"""

import base64
import contextlib
import json
import os
import sys
import types

if __name__ == "agent_runtime":  # imported as a module; deployed, every part shares one namespace
    from runtime_indicators import *  # noqa: F401,F403
    from runtime_inputs import *  # noqa: F401,F403
    from runtime_markets import *  # noqa: F401,F403
    from runtime_observations import *  # noqa: F401,F403
    from runtime_portfolio import *  # noqa: F401,F403


def signal(symbol, action, strength, price, reason, **extra):
    """Build a signal dict in the shape generate_signals must return."""
    result = {"symbol": symbol, "action": action, "strength": min(1.0, max(0.0, float(strength))),
              "price": price, "reason": reason}
    result.update(extra)
    return result


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
            price = require_price(item["price"], where + ".price")
        reason = item.get("reason", "")
        if not isinstance(reason, str):
            raise ValueError("%s.reason must be a string" % where)
        normalised = {"symbol": symbol, "action": action, "strength": round_ratio(strength),
                      "price": round_price(price), "reason": reason[:REASON_LIMIT]}
        if item.get("group") is not None:
            normalised["_group"] = validate_group(item["group"], where + ".group")
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


def _execute(signals, portfolio, prices, quotes, fraction, blocked):
    """Apply the EXECUTION RULES to the normalised signals, in order.

    Symbols in `blocked` (exited by a risk rule this tick) are not traded
    again this tick; nor is any symbol a signal closes. Signals sharing a
    group are executed together where the first of them stands.
    """
    groups = {}
    for item in signals:
        if "_group" in item:
            groups.setdefault(item["_group"], []).append(item)
    done = set()
    for item in signals:
        symbol, action = item["symbol"], item["action"]
        if "_group" in item:
            if item["_group"] not in done:
                done.add(item["_group"])
                _execute_group(item["_group"], groups[item["_group"]], portfolio, prices, quotes, fraction, blocked)
            continue
        if action == "hold" or symbol not in quotes or symbol in blocked:
            continue
        notional = max(0.0, portfolio.equity(prices)) * fraction * item["strength"]
        reason = item["reason"] or action
        if "_arbitrage" in item:
            buy_venue, sell_venue, fee = item["_arbitrage"]
            venues = quotes[symbol]["venues"]
            portfolio.arbitrage(symbol, notional, buy_venue, venues[buy_venue], sell_venue, venues[sell_venue], fee)
            continue
        held = portfolio.positions.get(symbol, {}).get("quantity", 0.0)
        if (action == "buy" and held < 0) or (action == "sell" and held > 0):
            blocked.update(portfolio.close(symbol, prices, reason))
        elif held == 0:
            portfolio.open(symbol, action, notional, quotes[symbol]["price"], prices, reason)


def _execute_group(group, legs, portfolio, prices, quotes, fraction, blocked):
    """One grouped position: a closing signal on any held leg closes every leg; otherwise all legs open or none."""
    active = [leg for leg in legs if leg["action"] != "hold"]
    if not active or any(leg["symbol"] not in quotes or leg["symbol"] in blocked for leg in active):
        return
    for leg in active:
        position = portfolio.positions.get(leg["symbol"])
        if position is not None and position.get("group") == group and \
                (leg["action"] == "buy") == (position["quantity"] < 0):
            blocked.update(portfolio.close(leg["symbol"], prices, leg["reason"] or leg["action"]))
            return
    if len(active) != len(legs) or any(leg["symbol"] in portfolio.positions for leg in legs):
        return
    equity = max(0.0, portfolio.equity(prices))
    portfolio.open_legs([(leg["symbol"], leg["action"], equity * fraction * leg["strength"],
                          quotes[leg["symbol"]]["price"]) for leg in legs], prices, legs[0]["reason"] or group, group)


def _prepare(agent_input, strategy):
    """Parse the input and the strategy's hooks; returns (request, generate, parameters)."""
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
    return request, generate, parameters


def _advance_market(request, market, st):
    """This tick's quotes; returns (windows, steps, quotes, generator, last_prices).

    Only traded symbols keep history.
    """
    universe = request["universe"]
    windows = {s: w for s, w in st["windows"].items() if s in universe}
    steps = {s: n for s, n in st["steps"].items() if s in windows}
    quotes, generator = market.advance(universe, request["tick"], windows, st["generator"], steps)
    last_prices = dict(st["lastPrices"])
    for symbol, quote in quotes.items():
        last_prices[symbol] = quote["price"]
    for symbol in st["positions"]:
        if symbol not in last_prices:
            last_prices[symbol] = st["positions"][symbol]["avgPrice"]
    return windows, steps, quotes, generator, last_prices


def _flatten(portfolio, prices, reason):
    """Close every position in full: longs first, so their proceeds pay for covering the shorts."""
    for symbol in sorted(portfolio.positions, key=lambda s: (portfolio.positions[s]["quantity"] < 0, s)):
        if symbol in portfolio.positions:
            portfolio.close(symbol, prices, reason)


def _risk_exits(portfolio, st, request, quotes, last_prices, drawdown):
    """Closes for removed symbols, the max-drawdown halt and stop-loss / take-profit exits.

    Returns (halted, halt_reason, exited symbols).
    """
    risk, universe, tick = request["risk"], request["universe"], request["tick"]
    exited = set()
    for symbol in sorted(s for s in portfolio.positions if s not in universe):
        if symbol in portfolio.positions:
            exited.update(portfolio.close(symbol, last_prices, "symbol removed from the agent"))
    halted, halt_reason = st["halted"], st["haltReason"]
    if halted:
        return halted, halt_reason, exited
    drawdown_now = drawdown.current(portfolio.equity(last_prices))
    if drawdown_now > risk["maxDrawdown"]:
        halt_reason = "drawdown %.2f%% exceeded maxDrawdown %.2f%% at tick %d; positions flattened" % (
            drawdown_now * 100, risk["maxDrawdown"] * 100, tick)
        exited.update(portfolio.positions)
        _flatten(portfolio, last_prices, "max-drawdown: flatten")
        return True, halt_reason, exited
    # A pair is one position: its legs' combined return decides, and they exit together.
    for legs in portfolio.units():
        if all(leg in quotes for leg in legs):
            label = "vs avg %.6g" % portfolio.positions[legs[0]]["avgPrice"] if len(legs) == 1 \
                else "on %s" % "/".join(legs)
            why = exit_reason(portfolio.unit_return(legs, last_prices), label, risk)
            if why:
                exited.update(portfolio.close(legs[0], last_prices, why))
    return False, None, exited


def _quote_view(quote):
    view = {"price": quote["price"], "venues": dict(quote["venues"])}
    view.update({k: quote[k] for k in ("volume", "bid", "ask") if quote.get(k) is not None})
    return view


def _strategy_context(request, parameters, windows, steps, quotes, portfolio, last_prices, memory):
    return {
        "tick": request["tick"], "now": request["now"], "symbols": list(request["symbols"]),
        "pairs": [list(p) for p in request["pairs"]],
        "prices": {s: list(w) for s, w in windows.items()},
        "steps": {s: list(n) for s, n in steps.items()},
        "quotes": {s: _quote_view(q) for s, q in quotes.items()},
        "parameters": parameters, "risk": dict(request["risk"]), "memory": memory,
        "portfolio": _read_only({
            "cash": portfolio.cash, "equity": portfolio.equity(last_prices),
            "positions": {s: {"quantity": p["quantity"], "avgPrice": p["avgPrice"], "marketPrice": last_prices[s],
                              "group": p.get("group")}
                          for s, p in portfolio.positions.items()},
        }),
    }


def _run_strategy(generate, ctx, universe, quotes):
    """The strategy's signals, normalised, and its memory as JSON text."""
    with contextlib.redirect_stdout(sys.stderr):
        raw_signals = generate(ctx)
    signals = _normalise_signals(raw_signals, universe, quotes)
    try:
        memory_text = json.dumps(ctx["memory"], allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise ValueError("ctx['memory'] must hold JSON values only: %s" % error)
    if len(memory_text) > MEMORY_LIMIT_BYTES:
        raise ValueError("ctx['memory'] is larger than %d bytes" % MEMORY_LIMIT_BYTES)
    return signals, memory_text


def _positions_out(portfolio, last_prices):
    out = []
    for symbol in sorted(portfolio.positions):
        position = portfolio.positions[symbol]
        market_price = last_prices[symbol]
        out.append({
            "symbol": symbol, "quantity": round(position["quantity"], QUANTITY_DECIMALS),
            "avgPrice": round_price(position["avgPrice"]), "marketPrice": round_price(market_price),
            "unrealizedPnl": round_money(position["quantity"] * (market_price - position["avgPrice"])),
        })
    return out


def _result(request, st, signals, portfolio, last_prices, windows, steps, generator, drawdown, halted, halt_reason,
            memory_text, observations):
    """Book end-of-tick equity and build the result with the next state."""
    tick, universe = request["tick"], request["universe"]
    equity = portfolio.equity(last_prices)
    returns = st["returns"]
    if st["lastEquity"] > 0:
        returns.add(equity / st["lastEquity"] - 1.0)
    drawdown.add(equity)
    curve = (st["equityCurve"] + [[tick, equity]])[-EQUITY_CURVE_SIZE:]
    stats = portfolio.stats
    # Money in the state keeps 6 decimals: tidy, yet far below a cent of drift.
    # Both a continuing and a restored context read these same rounded values.
    state_out = {
        "version": STATE_VERSION, "strategy": request["strategy"], "tick": tick, "capital": st["capital"],
        "cash": round(portfolio.cash, 6), "positions": portfolio.positions,
        "lastPrices": {s: p for s, p in sorted(last_prices.items()) if s in universe or s in portfolio.positions},
        "windows": windows, "steps": steps, "generator": generator, "realizedPnl": round(portfolio.realized, 6),
        "trades": {k: round(v, 9) if isinstance(v, float) else v for k, v in stats.items()},
        "market": st["market"],
        "returns": returns.to_state(), "equityCurve": [[t, round(e, 2)] for t, e in curve],
        "lastEquity": round(equity, 6), "peakEquity": round(drawdown.peak, 6), "maxDrawdown": drawdown.worst,
        "halted": halted, "haltReason": halt_reason, "memory": json.loads(memory_text),
    }
    return {
        "tick": tick,
        "signals": [{k: v for k, v in s.items() if not k.startswith("_")} for s in signals],
        "fills": portfolio.fills,
        "portfolio": {"cash": round_money(portfolio.cash), "equity": round_money(equity),
                      "positions": _positions_out(portfolio, last_prices)},
        "performance": {
            "totalReturn": round_ratio(equity / st["capital"] - 1.0),
            "sharpe": round(returns.sharpe(request["ticksPerYear"]), 4),
            "maxDrawdown": round_ratio(drawdown.worst),
            "winRate": round_ratio(stats["wins"] / stats["count"]) if stats["count"] else 0.0,
            "trades": stats["count"],
            "realizedPnl": round_money(portfolio.realized),
        },
        "observations": observations,
        "halted": halted,
        "haltReason": halt_reason,
        "state": state_out,
    }


def run_tick(agent_input, strategy=None):
    """One decision step. `agent_input` is AGENT_INPUT text or an already-parsed dict.

    `strategy` is the strategy module (or namespace dict); None means the names
    defined next to this code in the deployed context. Returns the result dict.
    """
    request, generate, parameters = _prepare(agent_input, strategy)
    market = make_market(request["marketData"])
    st = restore_state(request["state"], request["capital"], request["strategy"], market.identity())
    windows, steps, quotes, generator, last_prices = _advance_market(request, market, st)
    portfolio = Portfolio(st["cash"], st["positions"], st["realizedPnl"], st["trades"], request["risk"]["slippage"])
    drawdown = Drawdown(st["peakEquity"], st["maxDrawdown"])
    halted, halt_reason, exited = _risk_exits(portfolio, st, request, quotes, last_prices, drawdown)
    ctx = _strategy_context(request, parameters, windows, steps, quotes, portfolio, last_prices,
                            json.loads(json.dumps(st["memory"])))
    signals, memory_text = _run_strategy(generate, ctx, request["universe"], quotes)
    if not halted:
        _execute(signals, portfolio, last_prices, quotes, position_fraction(request["risk"], portfolio.stats), exited)
    observations = observe(request["universe"], windows, quotes, parameters)
    return _result(request, st, signals, portfolio, last_prices, windows, steps, generator, drawdown, halted,
                   halt_reason, memory_text, observations)


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
