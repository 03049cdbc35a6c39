"""An HTTP fault proxy for the SES tests and the fault bench: a real server on loopback, in a
thread, in front of moto's server (or any HTTP endpoint).

Every request is forwarded unless the plan says otherwise. For the requests the proxy's
``select`` picks (by default SES v2 SendEmail, ``POST /v2/email/outbound-emails``) the plan
chooses one of the ``Fault`` values::

    forward    pass the request on and relay the answer
    drop       pass it on (the upstream acts on it), then close the connection before answering
    error500   pass it on, then answer 500 InternalFailure instead of the upstream's answer
    hang       pass it on, then hold the connection silent for ``hang_seconds`` and close it
    throttle   do not pass it on; answer 400 with an SES throttling error code

``refuse()`` stops listening (new connections are refused by the kernel) and closes the open
ones; ``listen()`` takes the same port again. Every selected request is logged in ``log`` as
``(fault, path)`` so a test can see what happened to each call.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from kits import fault_plans as plans

SEND_EMAIL_PATH = "/v2/email/outbound-emails"


class Fault(StrEnum):
    """What the proxy does with one selected request."""

    FORWARD = "forward"
    DROP = "drop"
    ERROR_500 = "error500"
    HANG = "hang"
    THROTTLE = "throttle"


@dataclass(frozen=True)
class ProxiedRequest:
    """One request as the proxy read it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, object]:
        """The body as JSON ({} when it is not)."""
        try:
            data = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def recipients(self) -> list[str]:
        """The ToAddresses of an SES v2 SendEmail request."""
        destination = self.json().get("Destination")
        addresses = destination.get("ToAddresses", []) if isinstance(destination, dict) else []
        return [str(address) for address in addresses]


Plan = Callable[[ProxiedRequest], Fault]


def is_send_email(request: ProxiedRequest) -> bool:
    """The default selection: SES v2 SendEmail calls."""
    return request.method == "POST" and request.path.split("?")[0] == SEND_EMAIL_PATH


def scripted(faults: Iterable[Fault | str]) -> Plan:
    """A plan answering the selected requests with ``faults`` in order, then forwarding."""
    return plans.scripted([Fault(fault) for fault in faults], Fault.FORWARD)


def random_faults(seed: int, shares: dict[Fault, float]) -> Plan:
    """A plan that picks each fault with its share (``{Fault.DROP: 0.2}``), else forwards."""
    return plans.random_faults(seed, shares, Fault.FORWARD)


THROTTLE_CODES = ("TooManyRequestsException", "Throttling")


class FaultProxy:
    """The proxy; start with ``with FaultProxy(upstream, plan) as proxy:`` and use ``proxy.url``."""

    def __init__(
        self,
        upstream: str,
        plan: Plan | None = None,
        *,
        select: Callable[[ProxiedRequest], bool] = is_send_email,
        hang_seconds: float = 5.0,
        throttle_code: str = THROTTLE_CODES[0],
    ) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.plan = plan or scripted([])
        self.select = select
        self.hang_seconds = hang_seconds
        self.throttle_code = throttle_code
        self.log: list[tuple[Fault, str]] = []
        self.port = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._open: set[socket.socket] = set()

    @property
    def url(self) -> str:
        """The proxy's endpoint URL."""
        return f"http://127.0.0.1:{self.port}"

    def faults(self) -> list[Fault]:
        """The fault chosen for each selected request so far."""
        with self._lock:
            return [fault for fault, _ in self.log]

    def listen(self) -> FaultProxy:
        """Start serving (on the same port as before, if there was one)."""
        server = _QuietServer(("127.0.0.1", self.port), _handler_class(self))
        server.daemon_threads = True
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def refuse(self) -> None:
        """Stop listening, so connections are refused, and close the connections still open."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        with self._lock:
            for sock in list(self._open):
                _close(sock)
            self._open.clear()

    def __enter__(self) -> FaultProxy:
        return self.listen()

    def __exit__(self, *_: object) -> None:
        self.refuse()

    # --------------------------------------------------------------- used by the handler

    def choose(self, request: ProxiedRequest) -> Fault:
        if not self.select(request):
            return Fault.FORWARD
        fault = self.plan(request)
        with self._lock:
            self.log.append((fault, request.path))
        return fault

    def forward(self, request: ProxiedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            headers = {k: v for k, v in request.headers.items() if k.lower() != "connection"}
            connection.request(request.method, request.path, body=request.body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            connection.close()

    def opened(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def closed(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)


class _QuietServer(ThreadingHTTPServer):
    """A client that went away mid-answer (it was killed, or timed out) is not an error here."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet."""


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _handler_class(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            proxy.opened(self.request)

        def finish(self) -> None:
            proxy.closed(self.request)
            with contextlib.suppress(OSError):
                super().finish()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def do_GET(self) -> None:
            self.relay()

        def do_POST(self) -> None:
            self.relay()

        def do_PUT(self) -> None:
            self.relay()

        def do_DELETE(self) -> None:
            self.relay()

        def relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = ProxiedRequest(
                self.command, self.path, dict(self.headers.items()), self.rfile.read(length)
            )
            fault = proxy.choose(request)
            if fault is Fault.THROTTLE:
                self.answer_error(400, proxy.throttle_code, "Maximum sending rate exceeded.")
                return
            status, headers, body = proxy.forward(request)
            if fault is Fault.DROP:
                self.lose_answer()
            elif fault is Fault.HANG:
                time.sleep(proxy.hang_seconds)
                self.lose_answer()
            elif fault is Fault.ERROR_500:
                self.answer_error(500, "InternalFailure", "We encountered an internal error.")
            else:
                self.answer(status, headers, body)

        def lose_answer(self) -> None:
            """Close the connection without a byte of answer."""
            self.close_connection = True
            _close(self.request)

        def answer_error(self, status: int, code: str, message: str) -> None:
            body = json.dumps({"message": message}).encode()
            headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
            self.answer(status, headers, body)

        def answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response_only(status)
            skip = {"connection", "content-length", "transfer-encoding", "server", "date"}
            for name, value in headers:
                if name.lower() not in skip:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

    return Handler
