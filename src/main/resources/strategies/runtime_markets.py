"""Market data sources of the paper-trading runtime (part of agent_runtime)."""

import csv
import datetime
import io
import json
import math
import urllib.error
import urllib.parse
import urllib.request
import zlib

if __name__ == "runtime_markets":  # imported as a module; deployed, every part shares one namespace
    from runtime_indicators import *  # noqa: F401,F403
    from runtime_inputs import *  # noqa: F401,F403

# --------------------------------------------------------------------------
# Deterministic pseudo-random numbers
# --------------------------------------------------------------------------

MASK64 = (1 << 64) - 1
MAX_VOLUME = 1e15


def splitmix64(state):
    """One splitmix64 step: returns (next_state, output)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def mix_seed(seed, *parts):
    """Stable 64-bit seed from an integer seed and labels (crc32, not hash())."""
    state = seed & MASK64
    for part in parts:
        _, state = splitmix64(state ^ zlib.crc32(str(part).encode("utf-8")))
    return state


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next_u64(self):
        self.state, out = splitmix64(self.state)
        return out

    def uniform(self):
        """Uniform in [0, 1) from the top 53 bits."""
        return (self.next_u64() >> 11) / 9007199254740992.0

    def normal(self):
        # Irwin-Hall: pure arithmetic, so identical on every platform and
        # Python version (no libm calls whose last bit could differ).
        return math.fsum(self.uniform() for _ in range(12)) - 6.0


# --------------------------------------------------------------------------
# Market data
# --------------------------------------------------------------------------

def _append_window(windows, symbol, prices, steps, first_step):
    """Append prices, the first at market step `first_step` and one step apart, to a symbol's window.

    `steps` keeps the step of every price, so series of symbols a feed quoted
    at different times can be aligned (tick n of a CSV is its n-th timestamp).
    """
    window = windows.setdefault(symbol, [])
    window.extend(prices)
    del window[:-WINDOW_SIZE]
    stamps = steps.setdefault(symbol, [])
    stamps.extend(range(first_step, first_step + len(prices)))
    del stamps[:-WINDOW_SIZE]


def require_volume(value, name, error=ValueError):
    if not is_number(value) or not 0 <= value <= MAX_VOLUME:
        raise error("%s must be a finite number in [0, %g], got %s" % (name, MAX_VOLUME, describe(value)))
    return float(value)


class SyntheticMarket:
    """Seeded random walks with a shared market factor and two venue quotes.

    Every value is a pure function of (seed, symbol, step): tick t is step
    warmup + t, so the first `warmup` steps are history available at tick 0.
    The state caches the last generated (step, price) per symbol, so a normal
    tick generates one step; without state the walk is regenerated from step
    0, which costs about 20 microseconds per step and symbol.

    Every quote also has a volume (a per-symbol base, busier on larger moves)
    and a bid and an ask around the price (a per-symbol base spread that
    widens with the move), drawn from their own seeded streams so they leave
    the prices and venue quotes as they are.
    """

    MARKET_LOADING = 0.6
    IDIOSYNCRATIC_LOADING = 0.8  # 0.6^2 + 0.8^2 = 1: total volatility is `volatility`
    VENUE_NOISE = 0.0003

    FIELDS = {"type", "seed", "volatility", "drift", "warmup", "dislocationRate"}

    def __init__(self, config):
        require_known_keys(config, self.FIELDS, "marketData (synthetic)")
        if "seed" not in config:
            raise ValueError("marketData.seed is required for synthetic data")
        self.seed = require_int(config["seed"], "marketData.seed", -(1 << 63), (1 << 64) - 1)
        self.volatility = require_number(config.get("volatility", 0.02), "marketData.volatility", 0.0, 0.1)
        self.drift = require_number(config.get("drift", 0.0), "marketData.drift", -0.05, 0.05)
        self.warmup = require_int(config.get("warmup", WINDOW_SIZE - 1), "marketData.warmup", 0, WINDOW_SIZE - 1)
        self.dislocation_rate = require_number(config.get("dislocationRate", 0.05),
                                               "marketData.dislocationRate", 0.0, 1.0)
        self._market_cache = {}

    def identity(self):
        """What the generated series depend on; a state from another identity starts the series afresh."""
        return {"type": "synthetic", "seed": self.seed, "volatility": self.volatility, "drift": self.drift,
                "warmup": self.warmup, "dislocationRate": self.dislocation_rate}

    def start_price(self, symbol):
        return round_price(20.0 + 480.0 * SplitMix64(mix_seed(self.seed, "start", symbol)).uniform())

    def market_factor(self, step):
        # Shared by all symbols; advance() caches it across the symbols of one call.
        cached = self._market_cache.get(step)
        if cached is None:
            cached = self._market_cache[step] = SplitMix64(mix_seed(self.seed, "market", step)).normal()
        return cached

    def step_return(self, symbol, step):
        market = self.market_factor(step)
        own = SplitMix64(mix_seed(self.seed, "own", symbol, step)).normal()
        return self.drift + self.volatility * (self.MARKET_LOADING * market + self.IDIOSYNCRATIC_LOADING * own)

    def next_price(self, symbol, step, previous):
        return min(MAX_PRICE, max(MIN_PRICE, round_price(previous * (1.0 + self.step_return(symbol, step)))))

    def venues(self, symbol, step, price):
        rng = SplitMix64(mix_seed(self.seed, "venues", symbol, step))
        quote_a = price * (1.0 + self.VENUE_NOISE * (rng.uniform() - 0.5))
        quote_b = price * (1.0 + self.VENUE_NOISE * (rng.uniform() - 0.5))
        if rng.uniform() < self.dislocation_rate:
            # A dislocation: one venue lags by 0.3% to 1%, in either direction.
            gap = (0.003 + 0.007 * rng.uniform()) * (1 if rng.uniform() < 0.5 else -1)
            if rng.uniform() < 0.5:
                quote_a *= 1.0 + gap
            else:
                quote_b *= 1.0 + gap
        return {"A": round_price(quote_a), "B": round_price(quote_b)}

    def volume(self, symbol, step):
        """Shares traded at `step`: a base of 100k-2M per symbol, x 0.5-1.5 noise, x (1 + |move| / volatility)."""
        base = 100000.0 + 1900000.0 * SplitMix64(mix_seed(self.seed, "volume-base", symbol)).uniform()
        noise = 0.5 + SplitMix64(mix_seed(self.seed, "volume", symbol, step)).uniform()
        move = abs(self.step_return(symbol, step) - self.drift)
        activity = 1.0 + (move / self.volatility if self.volatility > 0 else 0.0)
        return round(base * noise * activity)

    def bid_ask(self, symbol, step, price):
        """A bid and an ask around `price`: a base spread of 0.02%-0.2% per symbol, x 0.5-1.5, wider on larger moves."""
        base = 0.0002 + 0.0018 * SplitMix64(mix_seed(self.seed, "spread-base", symbol)).uniform()
        noise = 0.5 + SplitMix64(mix_seed(self.seed, "spread", symbol, step)).uniform()
        move = abs(self.step_return(symbol, step) - self.drift)
        spread = base * noise * (1.0 + (move / self.volatility if self.volatility > 0 else 0.0))
        bid = max(MIN_PRICE, round_price(price * (1.0 - spread / 2.0)))
        ask = max(bid, round_price(price * (1.0 + spread / 2.0)))
        return bid, ask

    def advance(self, universe, tick, windows, generator, steps=None):
        """Bring each symbol to step warmup + tick; returns (quotes, generator)."""
        steps = {} if steps is None else steps
        target = self.warmup + tick
        quotes, new_generator = {}, {}
        for symbol in universe:
            cached = generator.get(symbol)
            resumable = (isinstance(cached, dict) and symbol in windows
                         and is_number(cached.get("step")) and is_number(cached.get("price"))
                         and 0 <= cached["step"] <= target)
            if resumable:
                step, price = int(cached["step"]), float(cached["price"])
            else:
                windows.pop(symbol, None)
                steps.pop(symbol, None)
                step, price = 0, self.start_price(symbol)
                _append_window(windows, symbol, [price], steps, -self.warmup)
            # Walking from an earlier step only needs the last WINDOW_SIZE prices.
            produced = []
            while step < target:
                step += 1
                price = self.next_price(symbol, step, price)
                produced.append(price)
                if len(produced) > 2 * WINDOW_SIZE:
                    del produced[:-WINDOW_SIZE]
            # Steps are counted from tick 0, so every market numbers its ticks alike.
            _append_window(windows, symbol, produced, steps, step - self.warmup - len(produced) + 1)
            bid, ask = self.bid_ask(symbol, step, price)
            quotes[symbol] = {"price": price, "venues": self.venues(symbol, step, price),
                              "volume": self.volume(symbol, step), "bid": bid, "ask": ask}
            new_generator[symbol] = {"step": step, "price": price}
        self._market_cache.clear()
        return quotes, new_generator


def parse_price_csv(text, source="marketData.csv"):
    """Parse `timestamp,symbol,price[,venue]` rows (an optional header row).

    Returns (timestamps in order of first appearance, {timestamp: {symbol:
    {"price": float or None, "venues": {venue: float}}}}).
    """
    if not isinstance(text, str):
        raise MarketDataError("%s must be a string" % source)
    timestamps, table = [], {}
    # A byte order mark (spreadsheet exports) is not part of the first field.
    reader = csv.reader(io.StringIO(text[1:] if text.startswith("\ufeff") else text))
    first_row = True
    for line_number, row in enumerate(reader, start=1):
        row = [cell.strip() for cell in row]
        if not row or all(not cell for cell in row):
            continue
        header = first_row and [c.lower() for c in row[:3]] == ["timestamp", "symbol", "price"]
        first_row = False
        if header:
            continue
        if len(row) not in (3, 4):
            raise MarketDataError("%s line %d: expected timestamp,symbol,price[,venue], got %d fields"
                                  % (source, line_number, len(row)))
        stamp, symbol, price_text = row[0], row[1], row[2]
        if not stamp:
            raise MarketDataError("%s line %d: empty timestamp" % (source, line_number))
        try:
            validate_symbol(symbol)
        except ValueError:
            raise MarketDataError("%s line %d: invalid symbol %s" % (source, line_number, describe(symbol)))
        try:
            price = float(price_text)
        except ValueError:
            raise MarketDataError("%s line %d: price %s is not a number"
                                  % (source, line_number, describe(price_text)))
        price = require_price(price, "%s line %d: price" % (source, line_number), MarketDataError)
        if stamp not in table:
            timestamps.append(stamp)
            table[stamp] = {}
        entry = table[stamp].setdefault(symbol, {"price": None, "venues": {}})
        if len(row) == 4 and row[3]:
            venue = row[3]
            if not VENUE_PATTERN.fullmatch(venue):
                raise MarketDataError("%s line %d: invalid venue %s" % (source, line_number, describe(venue)))
            if venue in entry["venues"]:
                raise MarketDataError("%s line %d: duplicate row for %s %s venue %s"
                                      % (source, line_number, stamp, symbol, venue))
            entry["venues"][venue] = price
        else:
            if entry["price"] is not None:
                raise MarketDataError("%s line %d: duplicate row for %s %s" % (source, line_number, stamp, symbol))
            entry["price"] = price
    return timestamps, table


def timestamp_order(stamp):
    """Sort key of a CSV timestamp: epoch numbers and ISO-8601 times in time order, other text by itself."""
    try:
        return (0, float(stamp), "")
    except ValueError:
        pass
    try:
        moment = datetime.datetime.fromisoformat(stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return (0, moment.timestamp(), "")
    except ValueError:
        return (1, 0.0, stamp)


def _quote_from_entry(entry):
    """A quote from a parsed row set; a symbol with venues only is priced at their mean."""
    price = entry["price"]
    if price is None:
        price = round_price(mean(entry["venues"].values()))
    return {"price": price, "venues": dict(sorted(entry["venues"].items()))}


class CsvMarket:
    """Tick n uses the n-th distinct timestamp of the CSV."""

    FIELDS = {"type", "csv"}

    def __init__(self, config):
        require_known_keys(config, self.FIELDS, "marketData (csv)")
        if not isinstance(config.get("csv"), str) or not config["csv"].strip():
            raise ValueError("marketData.csv must be non-empty CSV text")
        self.timestamps, self.table = parse_price_csv(config["csv"])
        self.checksum = zlib.crc32(config["csv"].encode("utf-8"))
        if not self.timestamps:
            raise MarketDataError("marketData.csv has no data rows")

    def identity(self):
        return {"type": "csv", "crc32": self.checksum}

    def advance(self, universe, tick, windows, generator, steps=None):
        steps = {} if steps is None else steps
        if tick >= len(self.timestamps):
            raise MarketDataError("marketData.csv is exhausted: tick %d needs timestamp #%d but the CSV has %d"
                                  % (tick, tick + 1, len(self.timestamps)))
        if tick > 0 and generator.get("timestamp") not in (None, self.timestamps[tick - 1]):
            # The state's last row is not the one before this tick (rows inserted, or the tick count moved):
            # its history is not this CSV's, so rebuild it from the rows.
            windows.clear()
            steps.clear()
        for symbol in universe:
            if symbol not in windows:
                # No carried history (first tick or lost state): rebuild it from earlier rows.
                history = [(n, self.table[stamp][symbol]) for n, stamp in enumerate(self.timestamps[:tick])
                           if symbol in self.table[stamp]]
                for n, entry in history[-(WINDOW_SIZE - 1):]:
                    _append_window(windows, symbol, [_quote_from_entry(entry)["price"]], steps, n)
        quotes = {}
        row_set = self.table[self.timestamps[tick]]
        for symbol in universe:
            if symbol in row_set:
                quotes[symbol] = _quote_from_entry(row_set[symbol])
                _append_window(windows, symbol, [quotes[symbol]["price"]], steps, tick)
        return quotes, {"timestamp": self.timestamps[tick]}


class HttpMarket:
    """Current quotes fetched with urllib from a provider URL on every tick."""

    FIELDS = {"type", "url", "headers", "format", "timeoutSeconds"}

    def __init__(self, config):
        require_known_keys(config, self.FIELDS, "marketData (http)")
        url = config.get("url")
        if not isinstance(url, str) or len(url) > 2048:
            raise ValueError("marketData.url must be a URL string")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("marketData.url must be an http:// or https:// URL")
        self.url = url
        # Error messages show only scheme://host/path: queries may hold secrets.
        self.display_url = "%s://%s%s" % (parsed.scheme, parsed.hostname or "", parsed.path)
        headers = require_dict(config.get("headers", {}) or {}, "marketData.headers")
        self.headers = {}
        for name, value in headers.items():
            if not isinstance(name, str) or not HEADER_NAME_PATTERN.fullmatch(name):
                raise ValueError("marketData.headers has an invalid header name %s" % describe(name))
            if not isinstance(value, str) or "\r" in value or "\n" in value or len(value) > 8192:
                raise ValueError("marketData.headers[%s] must be a single-line string" % name)
            self.headers[name] = value
        self.format = config.get("format", "json")
        if self.format not in ("json", "csv"):
            raise ValueError("marketData.format must be \"json\" or \"csv\", got %s" % describe(self.format))
        self.timeout = require_number(config.get("timeoutSeconds", HTTP_DEFAULT_TIMEOUT),
                                      "marketData.timeoutSeconds", 0.0, 60.0, min_inclusive=False)

    def identity(self):
        # Without the query or headers: they may hold credentials, and the state is stored in a ConfigMap.
        return {"type": "http", "url": self.display_url, "format": self.format}

    def fetch(self):
        request = urllib.request.Request(self.url, headers=self.headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(HTTP_MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise MarketDataError("marketData.http: %s returned HTTP %d" % (self.display_url, error.code))
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise MarketDataError("marketData.http: %s could not be fetched: %s" % (self.display_url, reason))
        if len(body) > HTTP_MAX_BYTES:
            raise MarketDataError("marketData.http: response from %s is larger than %d bytes"
                                  % (self.display_url, HTTP_MAX_BYTES))
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise MarketDataError("marketData.http: response from %s is not UTF-8" % self.display_url)

    def parse(self, text):
        if self.format == "csv":
            timestamps, table = parse_price_csv(text, "marketData.http csv")
            if not timestamps:
                raise MarketDataError("marketData.http: CSV response has no data rows")
            latest = table[max(timestamps, key=timestamp_order)]
            return {symbol: _quote_from_entry(entry) for symbol, entry in latest.items()}
        try:
            document = json.loads(text, parse_constant=reject_constant)
        except ValueError as error:
            raise MarketDataError("marketData.http: response is not valid JSON: %s" % error)
        if not isinstance(document, dict):
            raise MarketDataError("marketData.http: JSON response must be an object of symbol -> price")
        quotes = {}
        for symbol, value in document.items():
            if not isinstance(symbol, str) or not SYMBOL_PATTERN.fullmatch(symbol):
                continue  # providers may return extra keys; only valid symbols can be traded
            where = "marketData.http: %s" % symbol
            if isinstance(value, dict):
                venues = require_dict(value.get("venues", {}) or {}, where + ".venues")
                clean = {}
                for venue, venue_price in venues.items():
                    if not isinstance(venue, str) or not VENUE_PATTERN.fullmatch(venue):
                        raise MarketDataError("%s has an invalid venue name %s" % (where, describe(venue)))
                    clean[venue] = require_price(venue_price, "%s.venues.%s" % (where, venue), MarketDataError)
                if "price" in value:
                    price = require_price(value["price"], where + ".price", MarketDataError)
                elif clean:
                    price = mean(clean.values())
                else:
                    raise MarketDataError("%s has neither price nor venues" % where)
                quotes[symbol] = {"price": round_price(price), "venues": dict(sorted(clean.items()))}
                if value.get("volume") is not None:
                    quotes[symbol]["volume"] = require_volume(value["volume"], where + ".volume", MarketDataError)
                if value.get("bid") is not None or value.get("ask") is not None:
                    bid = require_price(value.get("bid"), where + ".bid", MarketDataError)
                    ask = require_price(value.get("ask"), where + ".ask", MarketDataError)
                    if bid > ask:
                        raise MarketDataError("%s.bid %s is above its ask %s" % (where, bid, ask))
                    quotes[symbol]["bid"], quotes[symbol]["ask"] = bid, ask
            else:
                quotes[symbol] = {"price": require_price(value, where, MarketDataError), "venues": {}}
        return quotes

    def advance(self, universe, tick, windows, generator, steps=None):
        steps = {} if steps is None else steps
        available = self.parse(self.fetch())
        quotes = {symbol: available[symbol] for symbol in universe if symbol in available}
        for symbol, quote in quotes.items():
            _append_window(windows, symbol, [quote["price"]], steps, tick)
        return quotes, {}


MARKETS = {"synthetic": SyntheticMarket, "csv": CsvMarket, "http": HttpMarket}


def make_market(config):
    require_dict(config, "marketData")
    kind = config.get("type")
    if kind not in MARKETS:
        raise ValueError("marketData.type must be one of %s, got %s" % (", ".join(MARKETS), describe(kind)))
    return MARKETS[kind](config)
