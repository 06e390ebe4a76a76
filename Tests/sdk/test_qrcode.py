"""The claim QR code as a merchant's page uses it: wechatpy creates it, the page loads
`show_qrcode_url` as an image, and a phone's decoder (zbarimg) reads the claim URL from it."""
import os
import shutil
import subprocess

import pytest
import requests

from cards import member_card

ZBARIMG = shutil.which("zbarimg")


def test_show_qrcode_url_is_a_png_of_the_claim_url(server, client, tmp_path):
    card_id = client.card.create(member_card())
    ticket = client.card.create_qrcode({"action_name": "QR_CARD", "action_info": {"card": {"card_id": card_id}}})
    answer = client.post("card/qrcode/create", api_base_url=server.base + "/", data={"action_name": "QR_CARD", "action_info": {"card": {"card_id": card_id}}})
    image = requests.get(answer["show_qrcode_url"], timeout=10)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    assert requests.get(server.base + "/cgi-bin/showqrcode", params={"ticket": ticket}, timeout=10).status_code == 200
    unknown = requests.get(server.base + "/cgi-bin/showqrcode", params={"ticket": "nope"}, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["errcode"] == 40097
    if not ZBARIMG:
        if os.environ.get("WXCARDS_REQUIRE_TOOLS"):
            raise RuntimeError("zbarimg is required (WXCARDS_REQUIRE_TOOLS is set)")
        pytest.skip("no zbarimg: apt-get install zbar-tools (.ci/run does)")
    path = tmp_path / "code.png"
    path.write_bytes(image.content)
    decoded = subprocess.run([ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == answer["url"]
