"""Mean reversion: trade the z-score of the price against its rolling mean.

Parameters: windowSize (int, default 20, 2..256), stddevs (k, default 2.0,
> 0), exitZ (default 0.5, 0 <= exitZ < stddevs). The z-score uses the last
windowSize prices including the current one and the population standard
deviation. z < -k -> buy, z > +k -> sell; an open long is closed (sell) once
z >= -exitZ and an open short is closed (buy) once z <= exitZ, i.e. when the
price is back near the mean. Strength of an entry is |z| / (2k) capped at 1.
"""

try:
    run_tick  # defined when this file is deployed after agent_runtime.py
except NameError:
    from agent_runtime import *  # noqa: F401,F403 - standalone module form

STRATEGY = "mean_reversion"
DEFAULTS = {"windowSize": 20, "stddevs": 2.0, "exitZ": 0.5}


def validate_parameters(params):
    values = parameter_values(params, DEFAULTS, STRATEGY)
    result = {
        "windowSize": require_int(values["windowSize"], "parameters.windowSize", 2, WINDOW_SIZE),
        "stddevs": require_number(values["stddevs"], "parameters.stddevs", 0.0, 10.0, min_inclusive=False),
        "exitZ": require_number(values["exitZ"], "parameters.exitZ", 0.0, 10.0),
    }
    if result["exitZ"] >= result["stddevs"]:
        raise ValueError("parameters.exitZ (%s) must be smaller than parameters.stddevs (%s)"
                         % (result["exitZ"], result["stddevs"]))
    return result


def mean_reversion_signal(symbol, prices, held, window_size, k, exit_z):
    """Signal for one symbol given its history and the held quantity (< 0 = short)."""
    if len(prices) < window_size:
        return signal(symbol, "hold", 0.0, prices[-1] if prices else None,
                      "insufficient history: %d of %d prices" % (len(prices), window_size))
    z = zscore(prices[-window_size:])
    price = prices[-1]
    if z is None:
        return signal(symbol, "hold", 0.0, price, "flat prices: z-score undefined")
    strength = min(1.0, abs(z) / (2.0 * k))
    if held > 0 and z >= -exit_z:
        return signal(symbol, "sell", 1.0, price, "exit long near mean: z %+.3f" % z)
    if held < 0 and z <= exit_z:
        return signal(symbol, "buy", 1.0, price, "exit short near mean: z %+.3f" % z)
    if z < -k:
        return signal(symbol, "buy", strength, price, "z %+.3f below -%.2f" % (z, k))
    if z > k:
        return signal(symbol, "sell", strength, price, "z %+.3f above +%.2f" % (z, k))
    return signal(symbol, "hold", 0.0, price, "z %+.3f inside +/-%.2f" % (z, k))


def generate_signals(ctx):
    params = ctx["parameters"]
    positions = ctx["portfolio"]["positions"]
    signals = []
    for symbol in ctx["symbols"]:
        if symbol not in ctx["quotes"]:
            continue
        held = positions[symbol]["quantity"] if symbol in positions else 0.0
        signals.append(mean_reversion_signal(symbol, ctx["prices"].get(symbol, []), held,
                                             params["windowSize"], params["stddevs"], params["exitZ"]))
    return signals
