"""Momentum: follow the rate of change over the last `period` ticks.

Parameters: period (int, default 10, 1..255), threshold (fraction, default
0.02, 0 < threshold <= 1). ROC = price / price `period` ticks ago - 1.
ROC > threshold -> buy, ROC < -threshold -> sell, otherwise hold; strength is
|ROC| / (2 x threshold) capped at 1, so a move of twice the threshold is a
full-strength signal.
"""

try:
    run_tick  # defined when this file is deployed after agent_runtime.py
except NameError:
    from agent_runtime import *  # noqa: F401,F403 - standalone module form

STRATEGY = "momentum"
DEFAULTS = {"period": 10, "threshold": 0.02}


def validate_parameters(params):
    values = parameter_values(params, DEFAULTS, STRATEGY)
    return {
        "period": require_int(values["period"], "parameters.period", 1, WINDOW_SIZE - 1),
        "threshold": require_number(values["threshold"], "parameters.threshold", 0.0, 1.0, min_inclusive=False),
    }


def momentum_signal(symbol, prices, period, threshold):
    """The momentum signal for one symbol's price history (oldest first)."""
    if len(prices) < period + 1:
        return signal(symbol, "hold", 0.0, prices[-1] if prices else None,
                      "insufficient history: %d of %d prices" % (len(prices), period + 1))
    roc = rate_of_change(prices, period)
    strength = min(1.0, abs(roc) / (2.0 * threshold))
    if roc > threshold:
        return signal(symbol, "buy", strength, prices[-1], "ROC(%d) %+.4f > %.4f" % (period, roc, threshold))
    if roc < -threshold:
        return signal(symbol, "sell", strength, prices[-1], "ROC(%d) %+.4f < -%.4f" % (period, roc, threshold))
    return signal(symbol, "hold", 0.0, prices[-1], "ROC(%d) %+.4f within +/-%.4f" % (period, roc, threshold))


def generate_signals(ctx):
    params = ctx["parameters"]
    signals = []
    for symbol in ctx["symbols"]:
        if symbol not in ctx["quotes"]:
            continue  # no quote this tick: nothing to act on
        signals.append(momentum_signal(symbol, ctx["prices"].get(symbol, []), params["period"], params["threshold"]))
    return signals
