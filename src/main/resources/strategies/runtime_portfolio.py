"""Portfolio, fills and risk limits of the paper-trading runtime (part of agent_runtime)."""

import math

if __name__ == "runtime_portfolio":  # imported as a module; deployed, every part shares one namespace
    from runtime_inputs import *  # noqa: F401,F403

# --------------------------------------------------------------------------
# Risk and performance
# --------------------------------------------------------------------------

def kelly_estimate(trades, wins, gross_win, gross_loss, losses=None):
    """Kelly fraction f* = W - (1 - W) / R from closed-trade statistics.

    W = wins / (wins + losses) and R = mean win / mean loss. `gross_win` and
    `gross_loss` are sums of per-trade returns (the runtime passes returns,
    so R does not depend on how large each trade was). Without `losses`
    every trade that is not a win counts as a loss.
    """
    if losses is None:
        losses = trades - wins
    decided = wins + losses
    if decided <= 0 or wins <= 0:
        return 0.0
    win_rate = wins / decided
    if losses == 0 or gross_loss <= 0:
        return win_rate
    payoff = (gross_win / wins) / (gross_loss / losses)
    return win_rate - (1.0 - win_rate) / payoff


def position_fraction(risk, stats):
    """Fraction of equity for one new position (see EXECUTION RULES)."""
    cap = risk["maxPositionFraction"]
    if stats["count"] < MIN_KELLY_TRADES:
        return PRIOR_FRACTION_OF_CAP * cap
    # Return sums when the statistics have them (every state this runtime writes), else money sums.
    kelly = kelly_estimate(stats["count"], stats["wins"], stats.get("winReturn", stats["grossWin"]),
                           stats.get("lossReturn", stats["grossLoss"]), stats.get("losses"))
    return min(cap, max(KELLY_FLOOR_OF_CAP * cap, risk["kellyFraction"] * kelly))


def exit_reason(change, label, risk):
    """'stop-loss' / 'take-profit' text when a position's return `change` hits a limit, else None."""
    if change <= -risk["stopLoss"]:
        return "stop-loss: %.2f%% %s" % (change * 100, label)
    if change >= risk["takeProfit"]:
        return "take-profit: +%.2f%% %s" % (change * 100, label)
    return None


# --------------------------------------------------------------------------
# Portfolio
# --------------------------------------------------------------------------

class Portfolio:
    """Cash, signed positions and closed-trade statistics; records every fill.

    A position may belong to a group (the legs of a pair): a group opens all
    its legs or none, and closes all of them together as one trade.
    """

    def __init__(self, cash, positions=None, realized=0.0, stats=None, slippage=0.0):
        self.cash = float(cash)
        self.positions = positions if positions is not None else {}
        self.realized = float(realized)
        self.stats = stats if stats is not None else empty_trade_stats()
        self.slippage = slippage
        self.fills = []

    def equity(self, prices):
        return self.cash + math.fsum(p["quantity"] * prices[s] for s, p in self.positions.items())

    def short_liability(self, prices):
        return math.fsum(-p["quantity"] * prices[s] for s, p in self.positions.items() if p["quantity"] < 0)

    def gross_exposure(self, prices):
        return math.fsum(abs(p["quantity"]) * prices[s] for s, p in self.positions.items())

    def fill_price(self, side, price):
        factor = (1.0 + self.slippage) if side == "buy" else (1.0 - self.slippage)
        return round_price(price * factor)

    def legs(self, symbol):
        """The symbols that make up the position `symbol` belongs to (its group's legs, or itself)."""
        group = self.positions.get(symbol, {}).get("group")
        if group is None:
            return [symbol] if symbol in self.positions else []
        return sorted(s for s, p in self.positions.items() if p.get("group") == group)

    def units(self):
        """Every position as the list of its legs: one list per group, one per single position."""
        seen, units = set(), []
        for symbol in sorted(self.positions):
            if symbol not in seen:
                legs = self.legs(symbol)
                seen.update(legs)
                units.append(legs)
        return units

    def unit_return(self, legs, prices):
        """PnL of the legs at `prices` over their entry notional."""
        pnl = math.fsum(self.positions[s]["quantity"] * (prices[s] - self.positions[s]["avgPrice"]) for s in legs)
        cost = math.fsum(abs(self.positions[s]["quantity"]) * self.positions[s]["avgPrice"] for s in legs)
        return pnl / cost if cost > 0 else 0.0

    def _record(self, symbol, side, quantity, price, reason):
        self.fills.append({"symbol": symbol, "side": side, "quantity": round(quantity, QUANTITY_DECIMALS),
                           "price": round_price(price), "reason": reason[:REASON_LIMIT]})

    def _closed_trade(self, pnl, cost):
        """One closed trade: a win when pnl > 0, a loss when pnl < 0, a scratch (neither) at 0."""
        self.realized += pnl
        self.stats["count"] += 1
        change = pnl / cost if cost > 0 else 0.0
        if pnl > 0:
            self.stats["wins"] += 1
            self.stats["grossWin"] += pnl
            self.stats["winReturn"] += change
        elif pnl < 0:
            self.stats["losses"] += 1
            self.stats["grossLoss"] += -pnl
            self.stats["lossReturn"] += -change

    def open_legs(self, legs, prices, reason, group=None):
        """Open every leg [(symbol, side, notional, price)] or none; returns the quantities filled.

        Legs are scaled down together to fit the limits, so a pair keeps its
        proportions: longs need cash beyond the cost of covering all shorts,
        and gross exposure stays within MAX_GROSS_EXPOSURE x equity.
        """
        if not legs or any(symbol in self.positions or notional <= 0 for symbol, _, notional, _ in legs):
            return []
        equity = self.equity(prices)
        wanted = math.fsum(notional for _, _, notional, _ in legs)
        buying = math.fsum(notional for _, side, notional, _ in legs if side == "buy")
        scale = min(1.0, max(0.0, MAX_GROSS_EXPOSURE * equity - self.gross_exposure(prices)) / wanted)
        if buying > 0:
            scale = min(scale, max(0.0, self.cash - self.short_liability(prices)) / buying)
        fills = []
        for symbol, side, notional, price in legs:
            fill = self.fill_price(side, price)
            quantity = floor_quantity(notional * scale / fill)
            if quantity <= 0:
                return []
            fills.append((symbol, side, quantity, fill))
        for symbol, side, quantity, fill in fills:
            signed = quantity if side == "buy" else -quantity
            self.cash -= signed * fill
            self.positions[symbol] = {"quantity": signed, "avgPrice": fill}
            if group is not None:
                self.positions[symbol]["group"] = group
            self._record(symbol, side, quantity, fill, reason)
        return [quantity for _, _, quantity, _ in fills]

    def open(self, symbol, side, notional, price, prices, reason):
        """Open a single position worth up to `notional`; returns the quantity filled."""
        filled = self.open_legs([(symbol, side, notional, price)], prices, reason)
        return filled[0] if filled else 0.0

    def close(self, symbol, prices, reason):
        """Close the position `symbol` belongs to, every leg in full, as one trade; returns the legs closed.

        A short is always covered in full: when that costs more than the cash,
        the cash goes negative (a debit the agent's longs cannot grow on).
        """
        legs = self.legs(symbol)
        pnl, cost = 0.0, 0.0
        for leg in legs:
            position = self.positions.pop(leg)
            quantity, avg = position["quantity"], position["avgPrice"]
            side = "sell" if quantity > 0 else "buy"
            fill = self.fill_price(side, prices[leg])
            self.cash += quantity * fill
            pnl += quantity * (fill - avg)
            cost += abs(quantity) * avg
            self._record(leg, side, abs(quantity), fill, reason)
        if legs:
            self._closed_trade(pnl, cost)
        return legs

    def arbitrage(self, symbol, notional, buy_venue, buy_price, sell_venue, sell_price, fee):
        """Simultaneous buy and sell on two venues; the net profit is realised at once.

        Both legs fill with slippage; `fee` is the round trip's cost (both legs) on the bought notional.
        """
        buy_fill, sell_fill = self.fill_price("buy", buy_price), self.fill_price("sell", sell_price)
        notional = min(notional, self.cash)
        quantity = floor_quantity(notional / buy_fill) if buy_fill > 0 else 0.0
        if quantity <= 0:
            return None
        net = arbitrage_net_profit(quantity, buy_fill, sell_fill, fee)
        if net <= 0:
            return None  # not an arbitrage after costs; refusing it bounds the loss to nothing
        self.cash += net
        self._closed_trade(net, quantity * buy_fill)
        self._record(symbol, "buy", quantity, buy_fill, "arbitrage: buy on venue %s" % buy_venue)
        self._record(symbol, "sell", quantity, sell_fill,
                     "arbitrage: sell on venue %s, net %+.2f after fees" % (sell_venue, net))
        return net


def arbitrage_net_profit(quantity, buy_price, sell_price, fee):
    """Venue spread minus the round-trip fee: `fee` is the cost of both legs as a fraction of the bought notional."""
    return quantity * (sell_price - buy_price) - fee * quantity * buy_price
