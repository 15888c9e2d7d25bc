"""Fetch a recipe page for a user, without letting the server be aimed at its own network.

A URL typed by a user is fetched by the server, so the fetch is the classic SSRF door: only
http and https; the host is resolved once, every address it resolves to must be public, and
the connection goes to that checked address itself (the Host header and TLS name stay the
host's), so a second DNS answer cannot swap in 127.0.0.1 (DNS rebinding). Each redirect is
checked the same way. The body is streamed and cut at MAX_BYTES; the whole fetch, redirects
included, has TIMEOUT_S: each read's timeout is the time left, and the sockets are shut at
the deadline, so a site trickling bytes cannot hold the worker. urllib3 does the HTTP; this
module only decides where it may go.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.exceptions import HTTPError, LocationParseError, ReadTimeoutError

TIMEOUT_S = 5.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
MAX_URL_CHARS = 2000
CHUNK_BYTES = 16 * 1024  # at most this much a read; each read is one receive
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
USER_AGENT = "MagnesiumMealPlanner/1.0 (recipe import)"
# NAT64's well-known prefix carries an IPv4 address in its last 32 bits.
NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(ValueError):
    """The page could not be fetched; the message says why, in words for the user."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    html: str


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo), if any."""
    if address.version == 4:
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    return None


def is_public(address: Address) -> bool:
    """Whether the server may connect to this address: globally routable, not multicast."""
    inner = embedded_ipv4(address)
    if inner is not None and not is_public(inner):
        return False
    # is_global is False for private, loopback, link-local, reserved, unspecified and shared
    # (100.64/10) ranges, in both families; multicast can still be "global", so it is named.
    return address.is_global and not address.is_multicast


def checked_addresses(host: str, port: int, *, allow_loopback: bool = False) -> list[Address]:
    """Resolve host once; return its addresses, or raise FetchError if any is not public."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise FetchError(f"Could not find the site {host}.") from error
        # A scoped IPv6 answer reads "fe80::1%eth0"; the scope is not part of the address.
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
        if not addresses:
            raise FetchError(f"Could not find the site {host}.")
    for address in addresses:
        if allow_loopback and address.is_loopback:
            continue
        if not is_public(address):
            # Every address must pass: a host answering with one public and one private
            # address could otherwise be steered to the private one.
            raise FetchError(
                f"{host} points to a private or local network address; only public web pages"
                " can be imported."
            )
    return addresses


def split_url(url: str) -> tuple[str, str, int, str]:
    """Return (scheme, host, port, path with query) of an http(s) URL, or raise FetchError."""
    if len(url) > MAX_URL_CHARS:
        raise FetchError(f"That URL is too long (at most {MAX_URL_CHARS} characters).")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchError("That is not a valid web address.") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("Only http:// and https:// addresses can be imported.")
    if not parts.hostname:
        raise FetchError("That web address has no host name.")
    if parts.username or parts.password:
        raise FetchError("Web addresses with a user name or password are not accepted.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


class _Deadline:
    """Shut every socket of one fetch at its deadline.

    A socket timeout bounds each receive, not their sum: a site sending its headers a byte
    at a time would otherwise hold the worker for as long as it likes. Shutting the socket
    ends any read in progress; the fetch then reports the time limit.
    """

    def __init__(self, at: float) -> None:
        self.at = at
        self.timers: list[threading.Timer] = []

    def watch(self, sock) -> None:
        def shut() -> None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(max(0.0, self.at - time.monotonic()), shut)
        timer.daemon = True
        timer.start()
        self.timers.append(timer)

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def cancel(self) -> None:
        for timer in self.timers:
            timer.cancel()


def _pool(
    scheme: str,
    host: str,
    address: Address,
    port: int,
    timeout: urllib3.Timeout,
    deadline: _Deadline,
):
    """A connection pool to the checked address, speaking to it as `host`, whose sockets
    are shut at the deadline."""
    pool = _new_pool(scheme, host, address, port, timeout)
    watched = pool.ConnectionCls

    class Connection(watched):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    pool.ConnectionCls = Connection
    return pool


def _new_pool(scheme: str, host: str, address: Address, port: int, timeout: urllib3.Timeout):
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            str(address),
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
        )
    return urllib3.HTTPConnectionPool(str(address), port, timeout=timeout, retries=False, maxsize=1)


def _read_capped(response, deadline: _Deadline) -> bytes:
    """Read the body a little at a time, stopping past MAX_BYTES or the deadline.

    Each read is one receive, and before it the socket's timeout is set to the time left, so
    a site trickling a byte at a time cannot hold the worker past the deadline.
    """
    # urllib3's parse of Content-Length: None when absent or not a number ("²" passes
    # str.isdigit but not int); then the cap is checked while streaming.
    length = response.length_remaining
    if length is not None and length > MAX_BYTES:
        raise FetchError("That page is larger than 2 MB; save it and paste its HTML instead.")
    sock = getattr(response.connection, "sock", None)
    body = bytearray()
    while True:
        left = deadline.at - time.monotonic()
        if left <= 0:
            raise FetchError(f"That site took longer than {TIMEOUT_S:g} seconds to answer.")
        if sock is not None:
            sock.settimeout(left)
        try:
            # urllib3 decompresses a gzip body a read at a time, so a small compressed read
            # cannot blow up in memory before the cap is checked.
            chunk = response.read1(CHUNK_BYTES, decode_content=True)
        except ReadTimeoutError as error:
            raise FetchError(
                f"That site took longer than {TIMEOUT_S:g} seconds to answer."
            ) from error
        if not chunk:
            if deadline.passed():  # the socket was shut at the deadline: the body is cut
                raise FetchError(f"That site took longer than {TIMEOUT_S:g} seconds to answer.")
            return bytes(body)
        body.extend(chunk)
        if len(body) > MAX_BYTES:
            raise FetchError("That page is larger than 2 MB; save it and paste its HTML instead.")


def _decode(body: bytes, content_type: str) -> str:
    charset = "utf-8"
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"'")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def fetch_html(url: str, *, allow_loopback: bool = False) -> FetchedPage:
    """Fetch an HTML page from a public http(s) URL; raise FetchError with a reason otherwise.

    allow_loopback is for tests only (a server on 127.0.0.1); no view passes it.
    """
    deadline = _Deadline(time.monotonic() + TIMEOUT_S)
    try:
        return _fetch(url, deadline, allow_loopback=allow_loopback)
    finally:
        deadline.cancel()


def _fetch(url: str, deadline: _Deadline, *, allow_loopback: bool) -> FetchedPage:
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = split_url(url)
        address = checked_addresses(host, port, allow_loopback=allow_loopback)[0]
        remaining = max(0.1, deadline.at - time.monotonic())
        timeout = urllib3.Timeout(connect=remaining, read=remaining)
        default_port = 443 if scheme == "https" else 80
        host_header = host if port == default_port else f"{host}:{port}"
        if ":" in host and port == default_port:
            host_header = f"[{host}]"
        elif ":" in host:
            host_header = f"[{host}]:{port}"
        pool = _pool(scheme, host, address, port, timeout, deadline)
        try:
            response = pool.urlopen(
                "GET",
                path,
                headers={
                    "Host": host_header,
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml;q=0.9",
                },
                redirect=False,
                preload_content=False,
                retries=False,
            )
        except (HTTPError, LocationParseError, OSError) as error:
            pool.close()
            if deadline.passed():
                raise FetchError(
                    f"That site took longer than {TIMEOUT_S:g} seconds to answer."
                ) from error
            raise FetchError(
                f"Could not reach {host}: the connection failed or timed out."
            ) from error
        try:
            if deadline.passed():  # the headers were cut at the deadline
                raise FetchError(f"That site took longer than {TIMEOUT_S:g} seconds to answer.")
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"{host} sent a redirect without an address.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"{host} answered with HTTP status {response.status}.")
            content_type = response.headers.get("Content-Type", "")
            if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                raise FetchError(
                    "That address is not a web page (its content type is "
                    f"{content_type.split(';')[0].strip() or 'not given'})."
                )
            try:
                body = _read_capped(response, deadline)
            except (HTTPError, OSError) as error:
                if deadline.passed():
                    raise FetchError(
                        f"That site took longer than {TIMEOUT_S:g} seconds to answer."
                    ) from error
                raise FetchError(f"Could not read the page from {host}.") from error
            return FetchedPage(url=url, html=_decode(body, content_type))
        finally:
            response.release_conn()
            pool.close()
    raise FetchError(f"That page redirects more than {MAX_REDIRECTS} times.")
