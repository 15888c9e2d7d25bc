"""Fetching a recipe page: refused addresses make no connection; no test leaves this machine."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3.util.connection

from foods.recipes import fetch
from foods.recipes.fetch import FetchError, fetch_html

PAGE = b"<html><head><title>Soup</title></head><body><p>Lentil soup</p></body></html>"


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything resolves a name or opens a connection."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError(f"network reached: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    return calls


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/recipe",
        "http://127.1.2.3:8000/",
        "http://10.0.0.8/recipe",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[::1]/recipe",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::]/",
    ],
)
def test_private_and_local_addresses_are_refused_without_a_connection(no_network, url):
    with pytest.raises(FetchError, match="private or local"):
        fetch_html(url)
    assert no_network == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http"),
        ("ftp://example.com/recipe.html", "Only http"),
        ("gopher://example.com/", "Only http"),
        ("javascript:alert(1)", "Only http"),
        ("//example.com/recipe", "Only http"),
        ("http://", "no host"),
        ("http://user:secret@example.com/", "user name"),
        ("http://example.com:99999/", "not a valid"),
        ("http://example.com/" + "x" * 3000, "too long"),
    ],
)
def test_other_schemes_and_odd_urls_are_refused_without_a_connection(no_network, url, message):
    with pytest.raises(FetchError, match=message):
        fetch_html(url)
    assert no_network == []


def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting(monkeypatch):
    looked_up = []

    def fake_dns(host, port, *args, **kwargs):
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    def refuse(*args, **kwargs):
        raise AssertionError("connected to a private address")

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    with pytest.raises(FetchError, match="private or local"):
        fetch_html("https://recipes.example.com/soup")
    assert looked_up == ["recipes.example.com"]


def test_one_private_address_among_public_ones_is_refused(monkeypatch):
    def fake_dns(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", pytest.fail, raising=True)
    with pytest.raises(FetchError, match="private or local"):
        fetch_html("http://mixed.example.com/")


@pytest.mark.parametrize(("scheme", "port"), [("http", 80), ("https", 443)])
def test_the_connection_goes_to_the_checked_address_with_no_second_lookup(
    monkeypatch, scheme, port
):
    """DNS rebinding: the name is resolved once, and the socket opens to that address."""
    looked_up, connected = [], []

    def fake_dns(host, port, *args, **kwargs):
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    def fake_connect(address, *args, **kwargs):
        connected.append(address)
        raise OSError("test: no network")

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", fake_connect)
    with pytest.raises(FetchError, match="Could not reach"):
        fetch_html(f"{scheme}://recipes.example.com/soup")
    assert looked_up == ["recipes.example.com"]
    assert connected == [("93.184.215.14", port)]


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"missing"))
        self.send_response(status)
        for name, value in headers.items():
            if value is not None:  # None: leave the header out
                self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site():
    """A tiny HTTP server on 127.0.0.1 (loopback only); yields (base URL, routes)."""
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_a_page_is_fetched_and_redirects_followed(local_site):
    base, routes = local_site
    routes["/old"] = (301, {"Location": "/soup"}, b"")
    routes["/soup"] = (200, HTML, PAGE)
    page = fetch_html(base + "/old", allow_loopback=True)
    assert page.html == PAGE.decode()
    assert page.url == base + "/soup"


def test_loopback_is_refused_unless_a_test_allows_it(local_site):
    base, routes = local_site
    routes["/soup"] = (200, HTML, PAGE)
    with pytest.raises(FetchError, match="private or local"):
        fetch_html(base + "/soup")


def test_a_redirect_to_a_private_address_is_refused_without_connecting_to_it(
    local_site, monkeypatch
):
    base, routes = local_site
    routes["/go"] = (302, {"Location": "http://10.0.0.5/admin"}, b"")
    connected = []
    real_connect = urllib3.util.connection.create_connection

    def recording_connect(address, *args, **kwargs):
        connected.append(address[0])
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", recording_connect)
    with pytest.raises(FetchError, match="private or local"):
        fetch_html(base + "/go", allow_loopback=True)
    assert connected == ["127.0.0.1"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://[::ffff:192.168.0.1]/"])
def test_redirects_to_other_schemes_or_mapped_addresses_are_refused(local_site, target):
    base, routes = local_site
    routes["/go"] = (302, {"Location": target}, b"")
    with pytest.raises(FetchError):
        fetch_html(base + "/go", allow_loopback=True)


def test_too_many_redirects_are_refused(local_site):
    base, routes = local_site
    for hop in range(10):
        routes[f"/{hop}"] = (302, {"Location": f"/{hop + 1}"}, b"")
    with pytest.raises(FetchError, match="redirects more than 5"):
        fetch_html(base + "/0", allow_loopback=True)


def test_a_body_over_2_mb_is_cut_off(local_site, monkeypatch):
    base, routes = local_site
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    routes["/big"] = (200, HTML, b"<p>" + b"x" * 5000)
    with pytest.raises(FetchError, match="larger than 2 MB"):
        fetch_html(base + "/big", allow_loopback=True)


@pytest.mark.parametrize("length", [None, "\u00b2", "12abc", "-5"])
def test_a_body_over_2_mb_without_a_usable_length_is_cut_off_while_streaming(
    local_site, monkeypatch, length
):
    """No Content-Length, or a hostile one ("²" passes str.isdigit), is an unknown length."""
    base, routes = local_site
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    monkeypatch.setattr(fetch, "CHUNK_BYTES", 100)
    routes["/big"] = (200, {**HTML, "Content-Length": length}, b"<p>" + b"x" * 5000)
    with pytest.raises(FetchError, match="larger than 2 MB"):
        fetch_html(base + "/big", allow_loopback=True)


@pytest.mark.parametrize("length", [None, "\u00b2"])
def test_a_small_page_without_a_usable_length_is_read(local_site, length):
    base, routes = local_site
    routes["/soup"] = (200, {**HTML, "Content-Length": length}, PAGE)
    assert fetch_html(base + "/soup", allow_loopback=True).html == PAGE.decode()


@pytest.mark.parametrize(
    ("status", "headers", "message"),
    [
        (200, {"Content-Type": "application/pdf"}, "not a web page"),
        (200, {"Content-Type": "image/png"}, "not a web page"),
        (200, {}, "not a web page"),
        (404, HTML, "status 404"),
        (500, HTML, "status 500"),
    ],
)
def test_other_answers_are_refused_with_a_reason(local_site, status, headers, message):
    base, routes = local_site
    routes["/x"] = (status, headers, b"%PDF-1.4")
    with pytest.raises(FetchError, match=message):
        fetch_html(base + "/x", allow_loopback=True)


def test_a_slow_site_times_out(local_site, monkeypatch):
    base, _routes = local_site
    monkeypatch.setattr(fetch, "TIMEOUT_S", 0.3)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        with pytest.raises(FetchError, match="longer than 0.3 seconds"):
            fetch_html(f"http://127.0.0.1:{silent.getsockname()[1]}/", allow_loopback=True)
    finally:
        silent.close()


@pytest.fixture
def trickling_site():
    """A loopback server that sends a page's head, then one byte every 50 ms for 5 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>")
            for _ in range(100):
                if stop.wait(0.05):
                    return
                try:
                    conn.sendall(b"x")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    listener.close()
    thread.join(timeout=6)


def test_a_site_trickling_its_body_is_cut_off_at_the_deadline(trickling_site, monkeypatch):
    """Each byte comes well within a read timeout; the whole fetch still ends on time."""
    monkeypatch.setattr(fetch, "TIMEOUT_S", 0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than 0.5 seconds"):
        fetch_html(trickling_site, allow_loopback=True)
    assert time.monotonic() - started < 1.5


@pytest.fixture
def trickling_headers_site():
    """A loopback server that sends its status line, then a header one byte every 50 ms."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.0 200 OK\r\nX-Slow: ")
            for _ in range(100):
                if stop.wait(0.05):
                    return
                try:
                    conn.sendall(b"a")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    listener.close()
    thread.join(timeout=6)


def test_a_site_trickling_its_headers_is_cut_off_at_the_deadline(
    trickling_headers_site, monkeypatch
):
    monkeypatch.setattr(fetch, "TIMEOUT_S", 0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than 0.5 seconds"):
        fetch_html(trickling_headers_site, allow_loopback=True)
    assert time.monotonic() - started < 1.5
