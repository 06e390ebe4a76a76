"""The web console in a real browser (Debian's chromium and chromium-driver through selenium),
headless: one journey a developer takes, with wechatpy doing the merchant's part. Screenshots
of the card page and the phone view are saved under $WXCARDS_ARTIFACTS (default
.build/artifacts) to be looked at."""
import os
import re
import shutil

import pytest

from conftest import APPID, ROOT, SECRET
from test_pushes import Receiver

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ARTIFACTS = os.environ.get("WXCARDS_ARTIFACTS", os.path.join(ROOT, ".build", "artifacts"))

if not (CHROMIUM and DRIVER):
    if os.environ.get("WXCARDS_REQUIRE_TOOLS"):
        raise RuntimeError("chromium and chromium-driver are required (WXCARDS_REQUIRE_TOOLS is set)")
    pytest.skip("no chromium/chromedriver: apt-get install chromium chromium-driver (.ci/run does)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def screenshot(driver, name, width=None):
    os.makedirs(ARTIFACTS, exist_ok=True)
    if width:
        driver.set_window_size(width, 1000)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width or 1200, min(max(height, 600), 4000))
    path = os.path.join(ARTIFACTS, name)
    assert driver.save_screenshot(path)
    driver.set_window_size(1200, 1000)
    return path


def fill(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def click(driver, element):
    """Clicks something that loads a page, and waits until the old page is gone: reading the
    new page any earlier may find the old one's elements (a notice from the step before)."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def notice(driver):
    return driver.find_element(By.ID, "notice").text


def test_a_developer_drives_a_member_card_through_the_console(server, client, browser):
    receiver = Receiver()
    try:
        server.sandbox(client, "app/server", {"url": receiver.url, "token": "consoletoken", "mode": "plain"})
        base = server.base
        # 1. Sign in; a wrong secret is refused.
        browser.get(base + "/console")
        fill(browser, "appid", APPID)
        fill(browser, "secret", "wrong")
        click(browser, browser.find_element(By.ID, "signin"))
        assert "do not match" in browser.find_element(By.ID, "problem").text
        fill(browser, "appid", APPID)
        fill(browser, "secret", SECRET)
        click(browser, browser.find_element(By.ID, "signin"))
        assert browser.find_element(By.ID, "appid").text == APPID
        cookie = browser.get_cookie("wxcards_console")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert browser.execute_script("return document.cookie") == ""

        # 2. Create a member card in the form, titled with markup that must show as text.
        browser.get(base + "/console/cards/new")
        fill(browser, "title", "<b>海底捞</b>会员卡")
        fill(browser, "brand_name", "海底捞")
        fill(browser, "description", "不可与其他优惠同享")
        fill(browser, "prerogative", "会员特权")
        Select(browser.find_element(By.ID, "color")).select_by_value("Color030")
        click(browser, browser.find_element(By.ID, "create"))
        assert notice(browser) == "Card created."
        card_id = browser.find_element(By.ID, "card-id").text
        assert browser.find_element(By.CSS_SELECTOR, ".face-title").text == "<b>海底捞</b>会员卡"
        assert "80, 159, 201" in browser.find_element(By.CSS_SELECTOR, ".face").value_of_css_property("background-color")
        assert client.card.get(card_id)["card_type"] == "MEMBER_CARD"
        client.card.set_activate_user_form(card_id, required_form={
            "can_modify": False, "common_field_id_list": ["USER_FORM_INFO_FLAG_MOBILE"]})

        # 3. The phone view: claim the card, submit the activation form.
        openid = "oFS7Fjl0WsZ9AMZqrI80nbIq0042"
        browser.get(base + "/console/phone/" + openid)
        Select(browser.find_element(By.ID, "claim-card")).select_by_value(card_id)
        click(browser, browser.find_element(By.ID, "claim"))
        code = re.search(r"code (\S+)\.", notice(browser)).group(1)
        browser.find_element(By.NAME, "common:USER_FORM_INFO_FLAG_MOBILE").send_keys("13800000000")
        click(browser, browser.find_element(By.CSS_SELECTOR, ".submit-form"))
        assert notice(browser) == "Form submitted."
        phone_shot = screenshot(browser, "console-phone.png", width=420)

        # 4, 5. The merchant's code activates the member and adds points, through wechatpy.
        client.card.activate_membercard("AAA00000001", code, card_id=card_id, init_bonus=100, init_bonus_record="旧积分同步")
        result = client.card.update_membercard(code, card_id, add_bonus=60, record_bonus="消费")
        assert result["result_bonus"] == 160

        # 6. The ledger rows and the push journal.
        browser.get(base + "/console/members?q=" + code)
        click(browser, browser.find_element(By.LINK_TEXT, code))
        assert browser.find_element(By.ID, "member-bonus").text == "160"
        rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#ledger tbody tr")]
        assert len(rows) == 2 and "+60" in rows[0] and "消费" in rows[0] and "updateuser" in rows[0]
        assert "+100" in rows[1] and "旧积分同步" in rows[1]
        assert "13800000000" in browser.page_source
        receiver.wait(4)
        browser.get(base + "/console/pushes")
        summaries = [s.text for s in browser.find_elements(By.CSS_SELECTOR, "details.push summary")]
        assert any("update_member_card" in s for s in summaries), summaries
        assert any("submit_membercard_user_info" in s for s in summaries), summaries
        browser.get(base + "/console/phone/" + openid)
        assert "积分变动+60" in browser.find_element(By.ID, "inbox").text
        phone_shot = screenshot(browser, "console-phone.png", width=420)

        # 7. Advance the clock a day: the card's chart now has a closed day with the claim.
        browser.get(base + "/console/overview")
        before = browser.find_element(By.ID, "clock").get_attribute("data-now")
        fill(browser, "advance-seconds", "86400")
        click(browser, browser.find_element(By.ID, "advance"))
        assert "The sandbox clock is now" in notice(browser)
        assert int(browser.find_element(By.ID, "clock").get_attribute("data-now")) >= int(before) + 86400
        ticket = client.card.create_qrcode({"action_name": "QR_CARD", "action_info": {"card": {"card_id": card_id}}})
        browser.get(base + "/console/cards/" + card_id)
        claims = browser.find_element(By.CSS_SELECTOR, 'polyline[data-series="claims"]').get_attribute("data-values")
        assert claims.split(",")[-1] == "1"
        # The QR code shows as the image show_qrcode_url serves, loaded by the browser.
        image = browser.find_element(By.CSS_SELECTOR, "img.qr")
        assert ticket in image.get_attribute("alt")
        loaded = browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
        assert loaded and loaded > 100, loaded
        card_shot = screenshot(browser, "console-card.png")

        # 8. Sign out: the pages lead back to the sign-in page.
        click(browser, browser.find_element(By.ID, "signout"))
        browser.get(base + "/console/cards")
        assert browser.find_elements(By.ID, "signin")
        for path in (card_shot, phone_shot):
            assert os.path.getsize(path) > 10_000
    finally:
        receiver.close()
