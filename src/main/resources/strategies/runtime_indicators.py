"""Indicators and performance math of the paper-trading runtime (part of agent_runtime).

Pure functions of price and equity series: the strategies' indicators and
the one implementation of the performance statistics the results report.
"""

import math

# Relative size below which a series' standard deviation counts as zero (see is_flat).
FLAT_TOLERANCE = 1e-6

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


def is_flat(sigma, level):
    """True when a standard deviation is too small to mean anything at this level.

    One rule for every series (prices, spreads, returns): sigma <= FLAT_TOLERANCE
    x max(1, |level|). Prices keep 6 decimals and real quotes move in cents, so
    a spread of a millionth of the level is rounding, not a signal.
    """
    return sigma <= FLAT_TOLERANCE * max(1.0, abs(level))


def zscore(values, level=None):
    """Z-score of the last value against the whole series; None if it is flat.

    `level` is the magnitude the flatness is judged against (default: the
    series mean; a spread around 0 passes the level of its prices).
    """
    values = list(values)
    mu, sigma = mean(values), pstdev(values)
    if is_flat(sigma, mu if level is None else level):
        return None
    return (values[-1] - mu) / sigma


def align(prices_a, steps_a, prices_b, steps_b):
    """The two series at the steps both were quoted at, oldest first (a feed may skip a symbol)."""
    at_b = dict(zip(steps_b, prices_b))
    pairs = [(price, at_b[step]) for step, price in zip(steps_a, prices_a) if step in at_b]
    return [a for a, _ in pairs], [b for _, b in pairs]


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


def returns_from_equity(curve):
    return [curve[i] / curve[i - 1] - 1.0 for i in range(1, len(curve)) if curve[i - 1] > 0]


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
        """Mean / sample stdev x sqrt(periods_per_year); 0 with < 2 returns or flat returns."""
        if self.count < 2:
            return 0.0
        sigma = math.sqrt(max(0.0, self.m2) / (self.count - 1))
        if is_flat(sigma, self.mean):
            return 0.0
        return self.mean / sigma * math.sqrt(periods_per_year)

    def to_state(self):
        return {"count": self.count, "mean": self.mean, "m2": self.m2}


def sharpe_ratio(returns, periods_per_year):
    """Sharpe of a whole return series, computed by the same ReturnStats a tick uses."""
    stats = ReturnStats()
    for value in returns:
        stats.add(value)
    return stats.sharpe(periods_per_year)


class Drawdown:
    """Peak equity and the largest peak-to-trough fall as a fraction of the peak."""

    def __init__(self, peak, worst=0.0):
        self.peak, self.worst = peak, worst

    def current(self, equity):
        """The fall of `equity` from the peak so far (without recording it)."""
        return (self.peak - equity) / self.peak if self.peak > 0 else 0.0

    def add(self, equity):
        self.peak = max(self.peak, equity)
        self.worst = max(self.worst, self.current(equity))
        return self.worst


def max_drawdown(curve):
    """Largest drawdown of a whole equity curve, computed by the same Drawdown a tick uses."""
    curve = list(curve)
    if not curve:
        return 0.0
    tracker = Drawdown(curve[0])
    for value in curve:
        tracker.add(value)
    return tracker.worst
