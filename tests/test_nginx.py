"""deploy/nginx.conf for real: nginx (Debian's nginx-light) runs the file, with only the user, ports and file
paths changed, in front of a small upstream that answers with the request headers it received.

Checked as a visitor or operator would notice: the visitor's IP reaches the app and the access log, HTTPS
via CloudFront gets HSTS, sign-in pages are rate-limited, only poster uploads take a 5 MB image, the deep
health check is refused to anyone but the server itself, and a 5xx shows up as a JSON line the CloudWatch
metric filter counts.
"""

from __future__ import annotations

import contextlib
import getpass
import http.client
import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e.app_process import free_port

NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx not installed (apt-get install nginx-light)")


class EchoHeaders(BaseHTTPRequestHandler):
    """The app stand-in: 200 with the headers it got as JSON; /boom answers 500; a websocket upgrade with
    ``?open`` is accepted (101) and held open like NiceGUI's socket until the browser side closes it."""

    def do_GET(self) -> None:
        if self.headers.get("Upgrade", "").lower() == "websocket" and self.path.endswith("?open"):
            self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            self.wfile.flush()
            while self.rfile.read(1):  # the tunnel stays open until nginx closes it
                pass
            self.close_connection = True
            return
        status = 500 if self.path == "/boom" else 200
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self) -> None:
        """An upload: 200 with how many bytes arrived."""
        received = len(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        body = json.dumps({"received": received}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Proxy:
    port: int
    access_log: Path

    def get(self, path: str, headers: dict[str, str] | None = None, source: str = "127.0.0.1",
            ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5, source_address=(source, 0))
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        connection.close()
        return result

    def put(self, path: str, body: bytes) -> int:
        """The status of an upload of ``body`` to ``path``."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("PUT", path, body=body, headers={"Content-Type": "image/png"})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    def log_line(self, path: str) -> dict[str, object]:
        """The newest access-log line for ``path`` (nginx writes it just after the response)."""
        deadline = time.monotonic() + 5
        while True:
            lines = [json.loads(line) for line in self.access_log.read_text().splitlines()]
            found = [line for line in lines if line["path"] == path]
            if found or time.monotonic() > deadline:
                assert found, f"no access-log line for {path}"
                return found[-1]
            time.sleep(0.05)


@contextlib.contextmanager
def run_proxy(work: Path, edge: str, trusted_balancer: str = "") -> Iterator[Proxy]:
    """nginx with deploy/nginx.conf and the deploy/nginx-edge-<edge>.conf that deploy/release.sh installs."""
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), EchoHeaders)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    text = NGINX_CONF.read_text()
    edge_conf = (NGINX_CONF.parent / f"nginx-edge-{edge}.conf").read_text()
    if trusted_balancer:  # the balancer's private address range, here the loopback the test connects from
        edge_conf += f"\nset_real_ip_from {trusted_balancer};\n"
    replacements: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
        (r"^user nginx;", f"user {getpass.getuser()};"),
        (r"^pid /run/nginx.pid;", f"pid {work}/nginx.pid;"),
        (r"^error_log [^;]*;", f"error_log {work}/error.log;"),
        (r"/var/log/nginx/access.log", f"{work}/access.log"),
        (r"server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream.server_address[1]};"),
        (r"listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;"),
        (r"listen \[::\]:80 default_server;", ""),
        (r"include /usr/share/nginx/modules/\*.conf;", ""),
        (r"include /etc/nginx/mime.types;", ""),
        (r"include /etc/nginx/moviemagic-edge.conf;", lambda _match: edge_conf),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        assert count == 1, pattern  # the file still has the line this test adapts
    temporary = f"\n    client_body_temp_path {work}/body;\n    proxy_temp_path {work}/proxy;"
    text = text.replace("http {", "http {" + temporary, 1)
    conf = work / "nginx.conf"
    conf.write_text(text)
    process = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            Proxy(port, work / "access.log").get("/")
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield Proxy(port, work / "access.log")
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """Behind CloudFront: the single-instance stack's default."""
    with run_proxy(tmp_path_factory.mktemp("nginx"), "cloudfront") as cloudfront:
        yield cloudfront


def test_the_visitor_ip_and_scheme_reach_the_app_and_the_log(proxy: Proxy) -> None:
    via_cloudfront = {"CloudFront-Viewer-Address": "198.51.100.23:54321", "CloudFront-Forwarded-Proto": "https"}
    status, headers, body = proxy.get("/movie/m-1?token=secret", via_cloudfront)
    seen = json.loads(body)
    assert status == 200 and seen["X-Forwarded-For"] == "198.51.100.23" and seen["X-Forwarded-Proto"] == "https"
    assert headers["strict-transport-security"] == "max-age=31536000"
    line = proxy.log_line("/movie/m-1")
    assert (line["client"], line["status"]) == ("198.51.100.23", 200)
    assert "secret" not in proxy.access_log.read_text()  # no query strings in the log


def test_plain_http_has_no_hsts_and_ipv6_visitors_keep_their_address(proxy: Proxy) -> None:
    status, headers, body = proxy.get("/", {"CloudFront-Viewer-Address": "2001:db8::7:443"})
    assert status == 200 and "strict-transport-security" not in headers
    assert json.loads(body)["X-Forwarded-Proto"] == "http"
    assert json.loads(body)["X-Forwarded-For"] == "2001:db8::7"


def test_websocket_upgrade_is_forwarded(proxy: Proxy) -> None:
    _, _, body = proxy.get("/_nicegui_ws/socket.io/?EIO=4&transport=websocket",
                           {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"})
    seen = json.loads(body)
    assert seen["Upgrade"] == "websocket" and seen["Connection"] == "upgrade"


def test_sign_in_is_rate_limited_per_visitor(proxy: Proxy) -> None:
    visitor = {"CloudFront-Viewer-Address": "203.0.113.50:1000"}
    statuses = [proxy.get("/login", visitor)[0] for _ in range(15)]
    assert statuses[:11] == [200] * 11 and 429 in statuses  # rate 10/min, burst 10
    assert proxy.get("/login", {"CloudFront-Viewer-Address": "203.0.113.51:1000"})[0] == 200  # someone else
    assert proxy.get("/api/v1/auth/login", visitor)[0] == 429  # the API shares the visitor's budget
    assert proxy.get("/", visitor)[0] == 200  # other pages are not limited


def test_only_the_poster_uploads_take_a_poster_sized_body(proxy: Proxy) -> None:
    """1 MB for everything, 6 MB (a 5 MB image plus framing) for the poster paths the app allows too
    (api/body_limit.py: UPLOAD_PATHS)."""
    poster = b"\x00" * (3 * 1024 * 1024)
    for path in ("/api/v1/staff/movies/the-long-reel/poster", "/api/v1/staff/events/laugh-riot/poster",
                 "/_nicegui/client/abc-123/upload/140"):
        assert proxy.put(path, poster) == 200, path
    for path in ("/api/v1/staff/events", "/api/v1/staff/events/laugh-riot", "/api/v1/staff/venues/x/poster"):
        assert proxy.put(path, poster) == 413, path
    assert proxy.put("/api/v1/staff/events/laugh-riot/poster", b"\x00" * (7 * 1024 * 1024)) == 413


def open_socket(proxy: Proxy, visitor: str) -> tuple[int, socket.socket]:
    """A browser opening NiceGUI's websocket through the proxy: the status, and the connection (kept open)."""
    connection = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    connection.sendall(("GET /_nicegui_ws/socket.io/?open HTTP/1.1\r\nHost: app\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nCloudFront-Viewer-Address: {visitor}:1000\r\n\r\n").encode())
    status_line = b""
    while not status_line.endswith(b"\r\n"):
        chunk = connection.recv(1)
        assert chunk, "the proxy closed the connection without an answer"
        status_line += chunk
    return int(status_line.split()[1]), connection


def test_open_websockets_are_capped_per_visitor(proxy: Proxy) -> None:
    """Sign-ins over the socket can't be told apart by the proxy, but one address can't hold more than
    100 sockets open (a box office or classroom behind one address stays well within it)."""
    held: list[socket.socket] = []
    try:
        for _ in range(100):
            status, connection = open_socket(proxy, "203.0.113.60")
            held.append(connection)
            assert status == 101
        status, refused = open_socket(proxy, "203.0.113.60")
        refused.close()
        assert status == 429
        status, other = open_socket(proxy, "203.0.113.61")  # someone else is not affected
        other.close()
        assert status == 101
        assert proxy.get("/_nicegui_ws/socket.io/?EIO=4&transport=polling",  # not an upgrade: not counted
                         {"CloudFront-Viewer-Address": "203.0.113.60:1000"})[0] == 200
        held.pop().close()  # a tab closes: its place is free again
        deadline = time.monotonic() + 5
        while True:
            status, again = open_socket(proxy, "203.0.113.60")
            held.append(again)
            if status == 101 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert status == 101
    finally:
        for connection in held:
            connection.close()


def test_new_websockets_are_rate_limited_per_visitor(proxy: Proxy) -> None:
    statuses = []
    for _ in range(140):
        status, connection = open_socket(proxy, "203.0.113.70")
        connection.close()
        statuses.append(status)
    assert statuses[:100] == [101] * 100 and statuses.count(429) >= 10  # 2 a second, bursts of 120
    assert open_socket(proxy, "203.0.113.71")[0] == 101  # someone else is not affected
    assert proxy.get("/", {"CloudFront-Viewer-Address": "203.0.113.70:1000"})[0] == 200  # pages are not limited


def test_the_deep_health_check_answers_the_server_only(proxy: Proxy) -> None:
    assert proxy.get("/healthz/deep")[0] == 200  # from 127.0.0.1 (the release script, an admin)
    assert proxy.get("/healthz/deep", source="127.0.0.2")[0] == 403  # any other address (CloudFront's)
    assert proxy.get("/healthz", source="127.0.0.2")[0] == 200


def test_a_server_error_is_a_json_line_the_metric_filter_counts(proxy: Proxy) -> None:
    assert proxy.get("/boom")[0] == 500
    line = proxy.log_line("/boom")
    assert isinstance(line["status"], int) and line["status"] >= 500


def test_behind_the_load_balancer_the_visitor_is_the_last_forwarded_address(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """deploy/cloudformation-scale.yaml: the ALB appends the address it saw to X-Forwarded-For. nginx takes
    that one (not what the visitor wrote before it, not a CloudFront header nobody set), so per-visitor
    limits count visitors, not balancer nodes."""
    with run_proxy(tmp_path_factory.mktemp("nginx-alb"), "alb", trusted_balancer="127.0.0.0/8") as alb:
        forged = {"X-Forwarded-For": "10.9.9.9, 198.51.100.77", "X-Forwarded-Proto": "https",
                  "CloudFront-Viewer-Address": "192.0.2.1:1"}
        status, headers, body = alb.get("/movie/m-2", forged)
        seen = json.loads(body)
        assert status == 200 and seen["X-Forwarded-For"] == "198.51.100.77" and seen["X-Forwarded-Proto"] == "https"
        assert headers["strict-transport-security"] == "max-age=31536000"
        assert alb.log_line("/movie/m-2")["client"] == "198.51.100.77"
        # Sign-in limits count each visitor behind the balancer on its own.
        visitor = {"X-Forwarded-For": "203.0.113.70"}
        statuses = [alb.get("/login", visitor)[0] for _ in range(15)]
        assert 429 in statuses
        assert alb.get("/login", {"X-Forwarded-For": "203.0.113.71"})[0] == 200


def test_without_a_trusted_edge_no_header_names_the_visitor(tmp_path_factory: pytest.TempPathFactory) -> None:
    """UseCloudFront=false: visitors reach nginx directly, so neither header can be forged to dodge limits."""
    with run_proxy(tmp_path_factory.mktemp("nginx-direct"), "direct") as direct:
        forged = {"CloudFront-Viewer-Address": "192.0.2.9:1", "X-Forwarded-For": "192.0.2.10",
                  "CloudFront-Forwarded-Proto": "https"}
        _, headers, body = direct.get("/", forged)
        seen = json.loads(body)
        assert seen["X-Forwarded-For"] == "127.0.0.1" and seen["X-Forwarded-Proto"] == "http"
        assert "strict-transport-security" not in headers
    # An ALB edge trusts only the balancer's private ranges: a forged header from elsewhere is ignored.
    with run_proxy(tmp_path_factory.mktemp("nginx-alb-untrusted"), "alb") as alb:
        _, _, body = alb.get("/", {"X-Forwarded-For": "192.0.2.11"})
        assert json.loads(body)["X-Forwarded-For"] == "127.0.0.1"
