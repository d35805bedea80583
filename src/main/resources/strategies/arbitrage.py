"""Arbitrage: the same asset quoted on two venues at different prices.

Parameters: feeThreshold (fraction, default 0.002, 0 <= feeThreshold < 0.1):
the round-trip trading cost as a fraction of the bought notional, and so the
minimum spread worth trading. When (rich - cheap) / cheap > feeThreshold the
strategy buys on the cheapest venue and sells on the richest; the runtime
records it as one paper arbitrage trade whose net profit is
quantity x (rich - cheap) - feeThreshold x quantity x cheap. Strength is
spread / (2 x feeThreshold) capped at 1 (1 when feeThreshold is 0).
"""

try:
    run_tick  # defined when this file is deployed after agent_runtime.py
except NameError:
    from agent_runtime import *  # noqa: F401,F403 - standalone module form

STRATEGY = "arbitrage"
DEFAULTS = {"feeThreshold": 0.002}


def validate_parameters(params):
    values = parameter_values(params, DEFAULTS, STRATEGY)
    return {"feeThreshold": require_number(values["feeThreshold"], "parameters.feeThreshold",
                                           0.0, 0.1, max_inclusive=False)}


def arbitrage_signal(symbol, quote, fee):
    """Signal for one symbol's quote {price, venues}."""
    venues = quote.get("venues", {})
    if len(venues) < 2:
        return signal(symbol, "hold", 0.0, quote["price"], "needs quotes from two venues")
    # Ties break on the venue name so the choice is deterministic.
    cheap = min(sorted(venues), key=lambda v: venues[v])
    rich = max(sorted(venues), key=lambda v: venues[v])
    spread = venues[rich] / venues[cheap] - 1.0
    if spread > fee and cheap != rich:
        strength = 1.0 if fee == 0 else min(1.0, spread / (2.0 * fee))
        return signal(symbol, "buy", strength, venues[cheap],
                      "buy %s @ %.6g, sell %s @ %.6g: spread %.4f%% > fee %.4f%%"
                      % (cheap, venues[cheap], rich, venues[rich], spread * 100, fee * 100),
                      arbitrage={"buyVenue": cheap, "sellVenue": rich, "fee": fee})
    return signal(symbol, "hold", 0.0, quote["price"],
                  "venue spread %.4f%% <= fee %.4f%%" % (spread * 100, fee * 100))


def generate_signals(ctx):
    fee = ctx["parameters"]["feeThreshold"]
    return [arbitrage_signal(symbol, ctx["quotes"][symbol], fee)
            for symbol in ctx["symbols"] if symbol in ctx["quotes"]]
