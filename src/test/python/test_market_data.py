"""Synthetic, CSV and HTTP market data."""

import json
import os
import subprocess
import sys
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from strategy_support import STRATEGIES_DIR, agent_input, csv_market, scripted_strategy
import agent_runtime


def synthetic(seed=42, **extra):
    config = {"type": "synthetic", "seed": seed}
    config.update(extra)
    return agent_runtime.SyntheticMarket(config)


def history(market, symbol, tick):
    windows = {}
    quotes, _ = market.advance([symbol], tick, windows, {})
    return windows[symbol], quotes[symbol]


class SyntheticTest(unittest.TestCase):
    def test_same_seed_same_series_different_seed_different(self):
        first, quote = history(synthetic(42), "AAPL", 5)
        again, quote_again = history(synthetic(42), "AAPL", 5)
        self.assertEqual(first, again)
        self.assertEqual(quote, quote_again)
        self.assertNotEqual(first, history(synthetic(43), "AAPL", 5)[0])
        self.assertNotEqual(first, history(synthetic(42), "MSFT", 5)[0])

    def test_pinned_values(self):
        # Golden values: a change here means every seeded agent sees new prices.
        market = synthetic(42)
        self.assertEqual(market.start_price("AAPL"), 73.217284)
        self.assertEqual(market.next_price("AAPL", 1, 73.217284), 73.432577)
        self.assertEqual(market.venues("AAPL", 1, 100.0), {"A": 99.990445, "B": 99.990921})

    def test_independent_of_hash_randomisation(self):
        code = ("import sys; sys.path.insert(0, %r); import agent_runtime as r; "
                "w = {}; q, _ = r.SyntheticMarket({'type': 'synthetic', 'seed': 7}).advance(['AAPL', 'KO'], 3, w, {}); "
                "print(w, q)") % STRATEGIES_DIR
        outputs = set()
        for hash_seed in ("0", "1", "12345"):
            env = dict(os.environ, PYTHONHASHSEED=hash_seed)
            outputs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                       text=True, check=True).stdout)
        self.assertEqual(len(outputs), 1)

    def test_warmup_history_at_tick_zero(self):
        window, quote = history(synthetic(1, warmup=30), "AAPL", 0)
        self.assertEqual(len(window), 31)
        self.assertEqual(window[-1], quote["price"])
        self.assertEqual(len(history(synthetic(1), "AAPL", 0)[0]), agent_runtime.WINDOW_SIZE)
        self.assertEqual(len(history(synthetic(1), "AAPL", 500)[0]), agent_runtime.WINDOW_SIZE)

    def test_resuming_from_generator_state_equals_regenerating(self):
        market = synthetic(9, warmup=10)
        windows, generator = {}, {}
        for tick in range(40):
            quotes, generator = market.advance(["KO"], tick, windows, generator)
        fresh_window, fresh_quote = history(market, "KO", 39)
        self.assertEqual(windows["KO"], fresh_window)
        self.assertEqual(quotes["KO"], fresh_quote)

    def test_venue_quotes_and_dislocations(self):
        market = synthetic(5, dislocationRate=0.2)
        gaps = []
        for step in range(400):
            venues = market.venues("BTC", step, 100.0)
            self.assertEqual(sorted(venues), ["A", "B"])
            gaps.append(abs(venues["A"] / venues["B"] - 1))
        self.assertTrue(any(g > 0.003 for g in gaps))
        self.assertTrue(sum(g < 0.001 for g in gaps) > 250)
        calm = synthetic(5, dislocationRate=0.0)
        self.assertTrue(all(abs(v["A"] / v["B"] - 1) < 0.001
                            for v in (calm.venues("BTC", s, 100.0) for s in range(200))))

    def test_config_validation(self):
        for bad in ({}, {"seed": "42"}, {"seed": 1, "volatility": 0.5}, {"seed": 1, "warmup": 300},
                    {"seed": 1, "extra": 1}):
            with self.assertRaises(ValueError):
                agent_runtime.make_market(dict(bad, type="synthetic"))
        with self.assertRaises(ValueError):
            agent_runtime.make_market({"type": "ftp"})


CSV_TEXT = """timestamp,symbol,price,venue
2026-03-02T14:30:00Z,AAPL,100.5
2026-03-02T14:30:00Z,BTC,60000,A
2026-03-02T14:30:00Z,BTC,60100,B
2026-03-02T14:31:00Z,AAPL,101.25

2026-03-02T14:32:00Z,AAPL,99.0
"""


class CsvTest(unittest.TestCase):
    def test_parse(self):
        timestamps, table = agent_runtime.parse_price_csv(CSV_TEXT)
        self.assertEqual(timestamps, ["2026-03-02T14:30:00Z", "2026-03-02T14:31:00Z", "2026-03-02T14:32:00Z"])
        self.assertEqual(table[timestamps[0]]["AAPL"], {"price": 100.5, "venues": {}})
        self.assertEqual(table[timestamps[0]]["BTC"]["venues"], {"A": 60000.0, "B": 60100.0})
        self.assertEqual(agent_runtime.parse_price_csv("t,AAPL,1\n")[0], ["t"])  # header is optional

    def test_tick_uses_nth_timestamp_and_venue_mean(self):
        market = agent_runtime.make_market({"type": "csv", "csv": CSV_TEXT})
        windows = {}
        quotes, position = market.advance(["AAPL", "BTC"], 0, windows, {})
        self.assertEqual(quotes["BTC"], {"price": 60050.0, "venues": {"A": 60000.0, "B": 60100.0}})
        quotes, position = market.advance(["AAPL", "BTC"], 1, windows, {})
        self.assertEqual(quotes, {"AAPL": {"price": 101.25, "venues": {}}})
        self.assertEqual(position, {"timestamp": "2026-03-02T14:31:00Z"})
        self.assertEqual(windows["AAPL"], [100.5, 101.25])

    def test_history_rebuilt_without_state(self):
        market = agent_runtime.make_market({"type": "csv", "csv": CSV_TEXT})
        windows = {}
        market.advance(["AAPL"], 2, windows, {})
        self.assertEqual(windows["AAPL"], [100.5, 101.25, 99.0])

    def test_exhaustion(self):
        market = agent_runtime.make_market({"type": "csv", "csv": CSV_TEXT})
        with self.assertRaises(agent_runtime.MarketDataError) as caught:
            market.advance(["AAPL"], 3, {}, {})
        self.assertIn("exhausted", str(caught.exception))
        self.assertIn("3", str(caught.exception))

    def test_bad_rows(self):
        cases = {
            "t,AAPL,abc\n": "line 1: price",
            "t,AAPL,1\nt,AAPL,-1\n": "line 2: price must be positive",
            "t,AAPL,1\nt,aapl,1\n": "line 2: invalid symbol",
            "t,AAPL\n": "line 1: expected",
            "t,AAPL,1\nt,AAPL,2\n": "duplicate",
            "t,AAPL,nan\n": "positive and finite",
            "t,AAPL,1,A B\n": "invalid venue",
        }
        for text, message in cases.items():
            with self.assertRaises(ValueError) as caught:
                agent_runtime.parse_price_csv(text)
            self.assertIn(message, str(caught.exception), text)
        with self.assertRaises(ValueError):
            agent_runtime.make_market({"type": "csv", "csv": "timestamp,symbol,price\n"})

    def test_exhaustion_through_a_tick(self):
        document = agent_input("custom", 1, None, symbols=["AAA"], parameters={"script": {}},
                               marketData=csv_market(["t0,AAA,100"]))
        with self.assertRaises(ValueError) as caught:
            agent_runtime.run_tick(document, scripted_strategy())
        self.assertIn("marketData.csv is exhausted", str(caught.exception))


class _Provider(BaseHTTPRequestHandler):
    routes = {}
    seen_headers = []

    def do_GET(self):
        _Provider.seen_headers.append(dict(self.headers))
        status, body = self.routes.get(self.path.split("?")[0], (404, "missing"))
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass  # keep test output clean


class HttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        _Provider.routes = {
            "/json": (200, json.dumps({"AAPL": 101.5, "BTC": {"price": 60000, "venues": {"A": 59990, "B": 60040}},
                                       "meta": "ignored"})),
            "/csv": (200, "timestamp,symbol,price\nt1,AAPL,100\nt2,AAPL,102\n"),
            "/broken": (200, "{not json"),
            "/fail": (500, "boom"),
        }
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.base = "http://127.0.0.1:%d" % cls.server.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def market(self, path, **extra):
        config = {"type": "http", "url": self.base + path}
        config.update(extra)
        return agent_runtime.make_market(config)

    def test_json_with_headers(self):
        _Provider.seen_headers.clear()
        windows = {}
        quotes, _ = self.market("/json", headers={"Authorization": "Bearer t0ken"}).advance(
            ["AAPL", "BTC", "MSFT"], 0, windows, {})
        self.assertEqual(quotes["AAPL"], {"price": 101.5, "venues": {}})
        self.assertEqual(quotes["BTC"], {"price": 60000.0, "venues": {"A": 59990.0, "B": 60040.0}})
        self.assertNotIn("MSFT", quotes)
        self.assertEqual(windows, {"AAPL": [101.5], "BTC": [60000.0]})
        self.assertEqual(_Provider.seen_headers[-1].get("Authorization"), "Bearer t0ken")

    def test_csv_uses_latest_timestamp(self):
        quotes, _ = self.market("/csv", format="csv").advance(["AAPL"], 0, {}, {})
        self.assertEqual(quotes["AAPL"]["price"], 102.0)

    def test_errors_are_clear_and_hide_the_query(self):
        with self.assertRaises(agent_runtime.MarketDataError) as caught:
            self.market("/fail?apikey=secret").advance(["AAPL"], 0, {}, {})
        self.assertIn("HTTP 500", str(caught.exception))
        self.assertNotIn("secret", str(caught.exception))
        with self.assertRaises(agent_runtime.MarketDataError) as caught:
            self.market("/broken").advance(["AAPL"], 0, {}, {})
        self.assertIn("not valid JSON", str(caught.exception))
        closed = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
        port = closed.server_address[1]
        closed.server_close()
        with self.assertRaises(agent_runtime.MarketDataError) as caught:
            agent_runtime.make_market({"type": "http", "url": "http://127.0.0.1:%d/x" % port,
                                       "timeoutSeconds": 2}).advance(["AAPL"], 0, {}, {})
        self.assertIn("could not be fetched", str(caught.exception))

    def test_config_validation(self):
        bad_configs = [
            {"url": "file:///etc/passwd"},
            {"url": "ftp://example.com/x"},
            {"url": "https://example.com", "headers": {"X-Evil": "a\r\nInjected: 1"}},
            {"url": "https://example.com", "headers": {"Bad Name": "x"}},
            {"url": "https://example.com", "format": "xml"},
            {"url": "https://example.com", "timeoutSeconds": 0},
        ]
        for config in bad_configs:
            with self.assertRaises(ValueError, msg=str(config)):
                agent_runtime.make_market(dict(config, type="http"))


if __name__ == "__main__":
    unittest.main()
