"""Pairs trading: trade the z-score of the spread between two related symbols.

Parameters: lookback (int, default 60, 10..256), entryZ (default 2.0, > 0),
exitZ (default 0.5, 0 <= exitZ < entryZ). For a pair [A, B] the hedge ratio
beta (and intercept alpha) come from least squares A = alpha + beta x B over
the last `lookback` prices both were quoted at (aligned on market steps); spread = A - beta x B - alpha, and z is
the current spread's z-score over that window. z > entryZ: short the spread
(sell A); z < -entryZ: long the spread (buy A). Shorting the spread sells A and takes the opposite side of beta units of B
per unit of A: it buys B when beta > 0 and sells B when beta < 0 (then A and
B move against each other, and A - beta x B is A + |beta| x B). The legs are
one grouped position ("A/B"): they open together, exit together (also on a
stop-loss or take-profit) or not at all. Exits are one-sided, as in
mean_reversion: a short spread closes once z <= exitZ, a long spread once
z >= -exitZ, so a z that jumps through zero exits too. While a spread is
open its z is computed with the hedge ratio it was entered with (kept in
ctx["memory"]["hedgeRatios"]; the latest fit while flat). A pair holds when
either leg is flat over the lookback (a halted or stale quote: no hedge ratio
exists), and while one of its symbols is held by another pair.
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


def spread_zscore(prices_a, prices_b, lookback, beta=None):
    """(beta, alpha, z) of the A-vs-B spread over the last `lookback` points; z is None if flat.

    With `beta` given (an open spread's entry hedge ratio) only alpha is fitted.
    """
    xs, ys = prices_b[-lookback:], prices_a[-lookback:]
    if beta is None:
        beta, alpha = least_squares(xs, ys)
    else:
        alpha = mean(y - beta * x for x, y in zip(xs, ys))
    spread = [y - beta * x - alpha for x, y in zip(xs, ys)]
    # The spread is in A's price units, so flatness is judged against A's level.
    return beta, alpha, zscore(spread, level=mean(ys))


def flat_leg(symbol, prices):
    """A reason when a leg's prices do not move (so no hedge ratio exists), else None."""
    if is_flat(pstdev(prices), mean(prices)):
        return "%s is flat over the last %d prices (a halted or stale quote)" % (symbol, len(prices))
    return None


def _legs(a, b, action_a, beta, strength, price_a, price_b, why, group):
    """Leg signals for one side of the spread: B opposite A when beta > 0, alongside A when beta < 0.

    B's strength is |beta| x price B / price A times A's, so the quantities
    are 1 : |beta| (both scaled down together when B's would exceed 1).
    """
    other = {"buy": "sell", "sell": "buy"}[action_a]
    action_b = other if beta > 0 else action_a
    weight_b = abs(beta) * price_b / price_a
    scale = 1.0 / max(1.0, weight_b)
    return [signal(a, action_a, strength * scale, price_a, why, group=group),
            signal(b, action_b, min(1.0, strength * weight_b * scale), price_b, why, group=group)]


def pair_signals(a, b, prices_a, prices_b, held_a, held_b, params, entry_beta=None, steps_a=None, steps_b=None):
    """Two signals (leg A, leg B) and the hedge ratio (None without one).

    held_a / held_b are this pair's own holdings (< 0 = short); entry_beta is
    the hedge ratio an open spread was entered with; steps_a / steps_b are the
    market steps of the prices (ctx["steps"]): the series are compared only at
    steps both were quoted at.
    """
    lookback, entry, exit_z = params["lookback"], params["entryZ"], params["exitZ"]
    group = "%s/%s" % (a, b)
    label = "pair " + group
    current_a, current_b = (prices_a[-1] if prices_a else None), (prices_b[-1] if prices_b else None)
    if steps_a is not None and steps_b is not None:
        prices_a, prices_b = align(prices_a, steps_a, prices_b, steps_b)
    n = min(len(prices_a), len(prices_b))

    def hold(why, price_a, price_b):
        return [signal(a, "hold", 0.0, price_a, why, group=group), signal(b, "hold", 0.0, price_b, why, group=group)]

    if n < lookback:
        why = "%s: insufficient history: %d of %d prices" % (label, n, lookback)
        return hold(why, current_a, current_b), None
    pa, pb = prices_a[-n:], prices_b[-n:]
    price_a, price_b = pa[-1], pb[-1]
    in_spread = held_a != 0 or held_b != 0
    flat = flat_leg(a, pa[-lookback:]) or flat_leg(b, pb[-lookback:])
    if flat and not in_spread:
        return hold("%s: %s" % (label, flat), price_a, price_b), None
    if flat:
        return hold("%s: %s; holding the open spread" % (label, flat), price_a, price_b), entry_beta
    beta, _, z = spread_zscore(pa, pb, lookback, entry_beta if in_spread else None)
    if z is None:
        return hold("%s: spread has zero variance (beta %.4f)" % (label, beta), price_a, price_b), beta
    info = "%s z %+.3f beta %.4f" % (label, z, beta)
    if in_spread:
        short_spread = held_a < 0 if held_a != 0 else (held_b > 0) == (beta > 0)
        if (short_spread and z <= exit_z) or (not short_spread and z >= -exit_z):
            # Closing either leg closes the pair; both are named so each is covered or sold.
            legs = []
            for symbol, held, price in ((a, held_a, price_a), (b, held_b, price_b)):
                action = "sell" if held > 0 else "buy" if held < 0 else "hold"
                legs.append(signal(symbol, action, 1.0 if held else 0.0, price, info + ": close spread", group=group))
            return legs, beta
        return hold(info + ": spread open", price_a, price_b), beta
    if is_flat(abs(beta), 0.0):
        return hold(info + ": no hedge relation", price_a, price_b), beta
    strength = min(1.0, abs(z) / (2.0 * entry))
    if z > entry:
        return _legs(a, b, "sell", beta, strength, price_a, price_b, info + ": short spread", group), beta
    if z < -entry:
        return _legs(a, b, "buy", beta, strength, price_a, price_b, info + ": long spread", group), beta
    return hold(info, price_a, price_b), beta


def generate_signals(ctx):
    positions = ctx["portfolio"]["positions"]
    ratios = ctx["memory"].setdefault("hedgeRatios", {})
    signals = []
    for a, b in ctx["pairs"]:
        if a not in ctx["quotes"] or b not in ctx["quotes"]:
            continue
        group = "%s/%s" % (a, b)
        others = [s for s in (a, b) if s in positions and positions[s].get("group") != group]
        if others:
            why = "pair %s: %s is held by %s" % (group, others[0],
                                                 positions[others[0]].get("group") or "a single position")
            signals.extend(signal(s, "hold", 0.0, ctx["quotes"][s]["price"], why, group=group) for s in (a, b))
            continue
        held_a = positions[a]["quantity"] if a in positions else 0.0
        held_b = positions[b]["quantity"] if b in positions else 0.0
        entry_beta = ratios.get(group) if (held_a or held_b) else None
        steps = ctx.get("steps", {})
        legs, beta = pair_signals(a, b, ctx["prices"].get(a, []), ctx["prices"].get(b, []),
                                  held_a, held_b, ctx["parameters"], entry_beta, steps.get(a), steps.get(b))
        if beta is not None:
            ratios[group] = round(beta, 6)
        signals.extend(legs)
    return signals
