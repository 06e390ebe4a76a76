"""Start-up as the person starting the server meets it, through the command line: the
version, the "listening" line, a port in use, an SQLite file in use, an unreachable
PostgreSQL, and `wxcards reset`."""
import os
import re
import signal
import socket
import subprocess
import time
from urllib.parse import urlparse

import pytest
import requests

from cards import member_card
from conftest import APPID, BIN, ROOT, SECRET, Server, WXCardsClient, free_port


def run(*args, timeout=60):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


def lines(text):
    return [line for line in text.splitlines() if line.strip()]


def test_version_names_the_release_and_the_commit():
    result = run("--version")
    assert result.returncode == 0
    match = re.fullmatch(r"wxcards (\d+\.\d+\.\d+)(?: \(commit ([0-9a-f]{12})(-dirty)?\))?\n", result.stdout)
    assert match, result.stdout
    if os.path.isdir(os.path.join(ROOT, ".git")):
        commit = subprocess.run(["git", "-c", "safe.directory=*", "-C", ROOT, "rev-parse", "--short=12", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        # The binary may predate the last commit only when built from a dirty tree.
        assert match.group(2) == commit or match.group(3), (match.group(0), commit)


def test_listening_is_printed_only_once_the_port_accepts(tmp_path):
    port = free_port()
    process = subprocess.Popen([BIN, "serve", "--port", str(port), "--database", "sqlite:%s" % (tmp_path / "a.sqlite"),
                                "--app", "%s:%s" % (APPID, SECRET)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # Hummingbird logs its own "Server started and listening on 127.0.0.1:PORT" on another
        # stream, in either order with ours: the line users copy the URL from is ours.
        for line in process.stdout:
            if "listening on http://" in line:
                assert line.rstrip().endswith("listening on http://127.0.0.1:%d" % port), line
                break
        # No retry: the port accepts the moment the line is out.
        assert requests.get("http://127.0.0.1:%d/healthz" % port, timeout=5).json() == {"status": "ok"}
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_a_port_in_use_exits_1_and_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), "--database", "sqlite:%s" % (tmp_path / "b.sqlite"))
    assert result.returncode == 1
    assert "port %d is in use: stop the other server or pass --port" % port in result.stderr
    # Nothing claims to listen, and no demo credentials are shown for a server that never ran.
    assert "listening" not in result.stdout and "demo app" not in result.stdout


@pytest.mark.single_instance
def test_an_sqlite_file_in_use_is_refused_until_its_server_dies(tmp_path):
    first = Server(tmp_path)
    try:
        result = run("serve", "--port", str(free_port()), "--database", first.database)
        assert result.returncode == 1
        assert "is in use by another wxcards process" in result.stderr
        assert "use PostgreSQL for several instances" in result.stderr
        assert "listening" not in result.stdout
        # migrate and reset take the same lock.
        assert run("migrate", "--database", first.database).returncode == 1
        assert run("reset", "--database", first.database, "--yes").returncode == 1
        # The lock dies with its process, however it dies.
        first.process.send_signal(signal.SIGKILL)
        first.process.wait()
    finally:
        first.log.close()
    second = Server(tmp_path)
    assert second.stop() == 0


def test_an_unreachable_postgresql_exits_in_bounded_time_with_one_line():
    port = free_port()  # nothing listens there
    started = time.monotonic()
    result = run("serve", "--port", str(free_port()), "--database-timeout", "2",
                 "--database", "postgres://postgres@127.0.0.1:%d/wxcards" % port)
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert elapsed < 8, elapsed
    assert lines(result.stderr) == [
        "Error: cannot reach PostgreSQL at 127.0.0.1:%d: connection refused "
        "(tried for 2 s; --database-timeout sets how long)" % port], result.stderr
    assert "listening" not in result.stdout and "Connection refused" not in result.stdout


@pytest.mark.skipif(not os.environ.get("WXCARDS_TEST_POSTGRES_URL"), reason="WXCARDS_TEST_POSTGRES_URL is not set")
def test_a_refusing_postgresql_fails_at_once_with_its_reason():
    url = urlparse(os.environ["WXCARDS_TEST_POSTGRES_URL"])
    missing = url._replace(path="/wxcards_no_such_database").geturl()
    started = time.monotonic()
    result = run("serve", "--port", str(free_port()), "--database", missing)
    assert result.returncode == 1
    assert time.monotonic() - started < 5
    assert lines(result.stderr) == [
        "Error: cannot reach PostgreSQL at %s:%d: database \"wxcards_no_such_database\" does not exist"
        % (url.hostname, url.port)], result.stderr


@pytest.mark.single_instance
def test_reset_wipes_every_app_but_keeps_the_apps(tmp_path):
    server = Server(tmp_path)
    try:
        client = WXCardsClient(server.base)
        server.sandbox(client, "merchant", {"mchid": "1900000109", "entity": "Shop"})
        server.advance_clock(client, 3600)
        card_id = client.card.create(member_card())
        server.sandbox(client, "card/claim", {"openid": "o1", "card_id": card_id})
    finally:
        assert server.stop() == 0

    refused = run("reset", "--database", server.database)
    assert refused.returncode == 1 and "--yes" in refused.stdout
    result = run("reset", "--database", server.database, "--yes")
    assert result.returncode == 0, result.stderr
    assert "cards 1" in result.stdout and "codes 1" in result.stdout and "merchants 1" in result.stdout

    again = Server(tmp_path)
    try:
        client = WXCardsClient(again.base)
        # The app and its secret are kept; its old token went with the reset; the clock is back.
        assert abs(again.advance_clock(client, 0)["now"] - time.time()) < 60
        assert client.card.batch_get(0, 50)["card_id_list"] == []
    finally:
        assert again.stop() == 0


def test_sandbox_off_is_a_production_back_end(tmp_path):
    """--sandbox off: the card API as ever through wechatpy, every /sandbox/* call 48001."""
    server = Server(tmp_path, extra_args=("--sandbox", "off"))
    try:
        client = WXCardsClient(server.base)
        assert client.card.create(member_card()).startswith("p")
        answer = requests.post(server.base + "/sandbox/clock", params={"access_token": client.access_token},
                               data='{"advance_seconds": 86400}').json()
        assert answer["errcode"] == 48001 and "sandbox is off" in answer["errmsg"]
    finally:
        assert server.stop() == 0
    assert run("serve", "--sandbox", "maybe").returncode != 0
