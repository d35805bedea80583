"""Pairs trading: trade the z-score of the spread between two related symbols.

Parameters: lookback (int, default 60, 10..256), entryZ (default 2.0, > 0),
exitZ (default 0.5, 0 <= exitZ < entryZ). For a pair [A, B] the hedge ratio
beta (and intercept alpha) come from least squares A = alpha + beta x B over
the last `lookback` aligned prices; spread = A - beta x B - alpha, and z is
the current spread's z-score over that window. z > entryZ: short the spread
(sell A, buy B); z < -entryZ: long the spread (buy A, sell B); an open spread
is closed when |z| < exitZ. Legs are sized independently (dollar-neutral at
equal strength). The latest hedge ratio per pair is kept in ctx["memory"].
"""

try:
    run_tick  # defined when this file is deployed after agent_runtime.py
except NameError:
    from agent_runtime import *  # noqa: F401,F403 - standalone module form

STRATEGY = "pairs_trading"
REQUIRES_PAIRS = True
DEFAULTS = {"lookback": 60, "entryZ": 2.0, "exitZ": 0.5}


def validate_parameters(params):
    values = parameter_values(params, DEFAULTS, STRATEGY)
    result = {
        "lookback": require_int(values["lookback"], "parameters.lookback", 10, WINDOW_SIZE),
        "entryZ": require_number(values["entryZ"], "parameters.entryZ", 0.0, 10.0, min_inclusive=False),
        "exitZ": require_number(values["exitZ"], "parameters.exitZ", 0.0, 10.0),
    }
    if result["exitZ"] >= result["entryZ"]:
        raise ValueError("parameters.exitZ (%s) must be smaller than parameters.entryZ (%s)"
                         % (result["exitZ"], result["entryZ"]))
    return result


def spread_zscore(prices_a, prices_b, lookback):
    """(beta, alpha, z) of the A-vs-B spread over the last `lookback` points; z is None if flat."""
    xs, ys = prices_b[-lookback:], prices_a[-lookback:]
    beta, alpha = least_squares(xs, ys)
    spread = [y - beta * x - alpha for x, y in zip(xs, ys)]
    # The spread is in A's price units, so flatness is judged against A's level.
    return beta, alpha, zscore(spread, level=mean(ys))


def pair_signals(a, b, prices_a, prices_b, held_a, held_b, params):
    """Two signals (leg A, leg B) and the hedge ratio (None without enough data)."""
    lookback, entry, exit_z = params["lookback"], params["entryZ"], params["exitZ"]
    # Windows can differ in length when a feed skipped a symbol; use the common tail.
    n = min(len(prices_a), len(prices_b))
    label = "pair %s/%s" % (a, b)
    if n < lookback:
        why = "%s: insufficient history: %d of %d prices" % (label, n, lookback)
        return [signal(a, "hold", 0.0, prices_a[-1] if prices_a else None, why),
                signal(b, "hold", 0.0, prices_b[-1] if prices_b else None, why)], None
    pa, pb = prices_a[-n:], prices_b[-n:]
    beta, _, z = spread_zscore(pa, pb, lookback)
    price_a, price_b = pa[-1], pb[-1]
    if z is None:
        why = "%s: spread has zero variance (beta %.4f)" % (label, beta)
        return [signal(a, "hold", 0.0, price_a, why), signal(b, "hold", 0.0, price_b, why)], beta
    info = "%s z %+.3f beta %.4f" % (label, z, beta)
    strength = min(1.0, abs(z) / (2.0 * entry))
    in_spread = held_a != 0 or held_b != 0
    if in_spread and abs(z) < exit_z:
        # Close whatever legs are open: a sell closes a long, a buy covers a short.
        legs = []
        for symbol, held, price in ((a, held_a, price_a), (b, held_b, price_b)):
            action = "sell" if held > 0 else "buy" if held < 0 else "hold"
            legs.append(signal(symbol, action, 1.0 if held else 0.0, price, info + ": close spread"))
        return legs, beta
    if not in_spread and z > entry:
        return [signal(a, "sell", strength, price_a, info + ": short spread"),
                signal(b, "buy", strength, price_b, info + ": short spread")], beta
    if not in_spread and z < -entry:
        return [signal(a, "buy", strength, price_a, info + ": long spread"),
                signal(b, "sell", strength, price_b, info + ": long spread")], beta
    return [signal(a, "hold", 0.0, price_a, info), signal(b, "hold", 0.0, price_b, info)], beta


def generate_signals(ctx):
    positions = ctx["portfolio"]["positions"]
    ratios = ctx["memory"].setdefault("hedgeRatios", {})
    signals = []
    for a, b in ctx["pairs"]:
        if a not in ctx["quotes"] or b not in ctx["quotes"]:
            continue
        held_a = positions[a]["quantity"] if a in positions else 0.0
        held_b = positions[b]["quantity"] if b in positions else 0.0
        legs, beta = pair_signals(a, b, ctx["prices"].get(a, []), ctx["prices"].get(b, []),
                                  held_a, held_b, ctx["parameters"])
        if beta is not None:
            ratios["%s/%s" % (a, b)] = round(beta, 6)
        signals.extend(legs)
    return signals
