"""Drives the built wxcards binary through the unmodified wechatpy SDK.

Each test gets a fresh server (its own SQLite file) started from the same debug
build that `swift test` used (WXCARDS_BIN), with one app given by --app.

Cluster mode (WXCARDS_SDK_CLUSTER=1, with WXCARDS_TEST_POSTGRES_URL): each test gets a fresh
PostgreSQL database, two instances on it, and a proxy in front that sends each request (not
each connection) to the next instance in turn. Tests that need one process (a restart, a
kill -9, the SQLite file itself) are marked single_instance and skipped there.
"""
import http.client
import itertools
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import requests
from wechatpy import WeChatClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("WXCARDS_BIN", os.path.join(ROOT, ".build", "debug", "wxcards")))
APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"
# A second app on the same server, to check that one app never sees another's data.
OTHER_APPID = "wxfedcba0987654321"
OTHER_SECRET = "fedcba9876543210fedcba9876543210"
WECHAT_HOST = "https://api.weixin.qq.com/"
CLUSTER = os.environ.get("WXCARDS_SDK_CLUSTER") == "1"
ADMIN_URL = os.environ.get("WXCARDS_TEST_POSTGRES_URL", "")
if CLUSTER and not ADMIN_URL:
    raise RuntimeError("WXCARDS_SDK_CLUSTER=1 needs WXCARDS_TEST_POSTGRES_URL")


def pytest_configure(config):
    config.addinivalue_line("markers", "single_instance: needs one server process (skipped in cluster mode)")


def pytest_collection_modifyitems(config, items):
    if CLUSTER:
        skip = pytest.mark.skip(reason="one process only (restart, kill -9 or the SQLite file itself)")
        for item in items:
            if "single_instance" in item.keywords:
                item.add_marker(skip)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """One wxcards process."""

    def __init__(self, tmp_path, database, extra_args=(), name="server"):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log = open(tmp_path / ("%s.log" % name), "w+")
        self.process = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port), "--database", database,
             "--app", "%s:%s" % (APPID, SECRET), "--app", "%s:%s" % (OTHER_APPID, OTHER_SECRET), *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=str(tmp_path),
        )

    def wait_ready(self, output):
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("wxcards did not start:\n" + output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


class RoundRobinProxy:
    """Sends each request to the next backend in turn, as a load balancer without stickiness."""

    def __init__(self, backends):
        turn = itertools.cycle(backends)
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length", 0) or 0)
                body = self.rfile.read(length) if length else None
                with lock:
                    backend = next(turn)
                connection = http.client.HTTPConnection("127.0.0.1", urlparse(backend).port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            # Every method (TRACE, PATCH, QUERY, ...), so a test of what the server answers to
            # a method a path does not take reaches the server.
            def __getattr__(self, name):
                if name.startswith("do_"):
                    return self.forward
                raise AttributeError(name)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def psql(sql):
    subprocess.run(["psql", ADMIN_URL, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


class Server:
    """The server a test talks to: one process on a fresh SQLite file, or in cluster mode two
    processes on a fresh PostgreSQL database behind a round-robin proxy."""

    def __init__(self, tmp_path, extra_args=()):
        self.dbname = None
        if CLUSTER:
            self.dbname = "wxsdk_" + uuid.uuid4().hex[:16]
            psql("CREATE DATABASE %s" % self.dbname)
            admin = urlparse(ADMIN_URL)
            self.database = admin._replace(path="/" + self.dbname).geturl()
            self.instances = [Instance(tmp_path, self.database, extra_args, "server%d" % n) for n in (1, 2)]
        else:
            self.database = "sqlite:%s" % (tmp_path / "wxcards.sqlite")
            self.instances = [Instance(tmp_path, self.database, extra_args)]
        for instance in self.instances:
            instance.wait_ready(self.output)
        # The first process and its log, for tests of one process (kill -9, restarts).
        self.process = self.instances[0].process
        self.log = self.instances[0].log
        self.proxy = RoundRobinProxy([i.base for i in self.instances]) if CLUSTER else None
        self.port = self.proxy.port if self.proxy else self.instances[0].port
        self.base = "http://127.0.0.1:%d" % self.port

    def output(self):
        return "\n".join(instance.output() for instance in self.instances)

    def stop(self):
        """SIGTERM, as a service manager would; answers the exit status (the worst of the instances)."""
        if self.proxy:
            self.proxy.close()
        codes = [instance.stop() for instance in self.instances]
        if self.dbname:
            psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.dbname)
        return max(codes, key=lambda code: code != 0)

    def sandbox(self, client, path, data):
        """A sandbox call (the simulated user side), made with the client's own token."""
        return client.post("sandbox/" + path, data=data, api_base_url=self.base + "/")

    def advance_clock(self, client, seconds):
        return client.post("sandbox/clock", data={"advance_seconds": seconds}, api_base_url=self.base + "/")


class WXCardsClient(WeChatClient):
    """wechatpy's own client, pointed at wxcards: API_BASE_URL on the client and its
    API groups, and the token URL. Nothing else of wechatpy is changed."""

    def __init__(self, base, appid=APPID, secret=SECRET, **kwargs):
        super().__init__(appid, secret, **kwargs)
        self.wxcards_base = base
        self.API_BASE_URL = base + "/cgi-bin/"
        # wechatpy makes one object per API group (card, datacube, ...) on each client. A group
        # keeps its own path (datacube's is /datacube/): only WeChat's host is replaced.
        for api in list(vars(self).values()):
            if getattr(api, "API_BASE_URL", None):
                api.API_BASE_URL = api.API_BASE_URL.replace(WECHAT_HOST, base + "/")

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.wxcards_base + "/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    yield s
    assert s.stop() == 0


@pytest.fixture
def client(server):
    return WXCardsClient(server.base)


@pytest.fixture
def other_client(server):
    return WXCardsClient(server.base, appid=OTHER_APPID, secret=OTHER_SECRET)
