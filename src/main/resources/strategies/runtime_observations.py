"""Market observations of the paper-trading runtime (part of agent_runtime).

Each tick reports, per symbol quoted, what the strategy saw: the realized
volatility over the strategy's window, the traded volume where the data
source has it, and the relative spread where it has a bid and an ask or at
least two venue quotes. The operator scales fleets on these numbers, so they
are pure functions of the prices and quotes of the tick.
"""

import math

if __name__ == "runtime_observations":  # imported as a module; deployed, every part shares one namespace
    from runtime_indicators import *  # noqa: F401,F403
    from runtime_inputs import *  # noqa: F401,F403

# Returns used when the strategy's parameters name no window of their own.
DEFAULT_OBSERVATION_WINDOW = 20
# The parameters that name a strategy's window, in the order they are looked up.
WINDOW_PARAMETERS = ("windowSize", "lookback", "period")


def observation_window(parameters):
    """Returns counted by the volatility: the strategy's own window parameter, else DEFAULT_OBSERVATION_WINDOW."""
    for name in WINDOW_PARAMETERS:
        value = (parameters or {}).get(name)
        if is_number(value) and value >= 1:
            return int(min(max(2, value), WINDOW_SIZE - 1))
    return DEFAULT_OBSERVATION_WINDOW


def realized_volatility(prices, window):
    """Sample standard deviation of the last `window` per-step simple returns; None with fewer than 2 returns."""
    prices = list(prices)[-(window + 1):]
    returns = [prices[i] / prices[i - 1] - 1.0 for i in range(1, len(prices)) if prices[i - 1] > 0]
    if len(returns) < 2:
        return None
    mu = math.fsum(returns) / len(returns)
    return math.sqrt(math.fsum((r - mu) ** 2 for r in returns) / (len(returns) - 1))


def relative_spread(quote):
    """(ask - bid) / mid from a bid and an ask, else (highest - lowest) / mean of two or more venues; else None."""
    bid, ask = quote.get("bid"), quote.get("ask")
    if bid is not None and ask is not None:
        mid = (bid + ask) / 2.0
        return (ask - bid) / mid if mid > 0 else None
    venues = list(quote.get("venues", {}).values())
    if len(venues) >= 2:
        level = mean(venues)
        return (max(venues) - min(venues)) / level if level > 0 else None
    return None


def observe(universe, windows, quotes, parameters):
    """The tick's observations, one per quoted symbol in universe order: {symbol, window, volatility?, volume?,
    spread?}; a figure the data cannot give is absent."""
    window = observation_window(parameters)
    out = []
    for symbol in universe:
        quote = quotes.get(symbol)
        if quote is None:
            continue
        entry = {"symbol": symbol, "window": window}
        volatility = realized_volatility(windows.get(symbol, []), window)
        if volatility is not None:
            entry["volatility"] = round_ratio(volatility)
        if quote.get("volume") is not None:
            entry["volume"] = round(float(quote["volume"]), 2)
        spread = relative_spread(quote)
        if spread is not None:
            entry["spread"] = round(spread, 8)
        out.append(entry)
    return out

