"""Portfolio, fills and risk limits of the paper-trading runtime (part of agent_runtime)."""

import math

if __name__ == "runtime_portfolio":  # imported as a module; deployed, every part shares one namespace
    from runtime_inputs import *  # noqa: F401,F403

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
