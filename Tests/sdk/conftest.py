"""Drives the built wxcards binary through the unmodified wechatpy SDK.

Each test gets a fresh server (its own SQLite file) started from the same debug
build that `swift test` used (WXCARDS_BIN), with one app given by --app.
"""
import os
import signal
import socket
import subprocess
import time

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


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp_path, extra_args=()):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.database = "sqlite:%s" % (tmp_path / "wxcards.sqlite")
        self.log = open(tmp_path / "server.log", "w+")
        self.process = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port), "--database", self.database,
             "--app", "%s:%s" % (APPID, SECRET), "--app", "%s:%s" % (OTHER_APPID, OTHER_SECRET), *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=str(tmp_path),
        )
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
        raise RuntimeError("wxcards did not start:\n" + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """SIGTERM, as a service manager would; answers the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode

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
