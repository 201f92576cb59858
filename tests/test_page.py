"""The page for analysts and auditors, in a real browser: Selenium drives Debian's chromium
(installed by ``.ci/run``) against a real uvicorn server. The test fills the form with an
example, reads every answer shown, and compares two dates. Without chromium on the machine the
test is skipped, saying so; CI always has it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from .test_service import Served  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quorate-session-2025.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[WebDriver, str]]:
    served = Served()
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver, served.url
    finally:
        driver.quit()
        served.stop()


def _ready(driver: WebDriver, url: str) -> WebDriverWait[WebDriver]:
    driver.get(url + "/")
    wait: WebDriverWait[WebDriver] = WebDriverWait(driver, 30)
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    return wait


def _fill(driver: WebDriver, text: str) -> None:
    box = driver.find_element(By.ID, "case")
    driver.execute_script("arguments[0].value = arguments[1];", box, text)


def test_the_page_shows_every_answer_of_an_example(browser: tuple[WebDriver, str]) -> None:
    driver, url = browser
    wait = _ready(driver, url)
    assert "kz-mlsp-order-210" in driver.find_element(By.ID, "spec").text
    _fill(driver, EXAMPLE.read_text(encoding="utf-8"))
    driver.find_element(By.ID, "evaluate").click()
    wait.until(expected_conditions.visibility_of_element_located((By.ID, "answers")))
    rows = driver.find_elements(By.CSS_SELECTOR, "#answers tbody tr")
    assert len(rows) == 21
    quorum = driver.find_element(By.CSS_SELECTOR, "tr[data-question='session.quorum']")
    assert "сақталды" in quorum.text  # satisfied, in the page's default language, Kazakh
    assert "§ rules.6" in quorum.text
    assert "Аттестаттау комиссиясының отырысы" in quorum.text  # the clause as the spec holds it
    link = quorum.find_element(By.CSS_SELECTOR, ".clause a")
    assert "regulation?provision=rules.6" in (link.get_attribute("href") or "")
    assert "Отырыс заңды ма" in quorum.text  # its title in Kazakh, the library's wording
    Select(driver.find_element(By.ID, "lang")).select_by_value("ru")
    quorum_text = (  # read in one step: the page rebuilds the row as the answers come again
        "const row = document.querySelector(\"tr[data-question='session.quorum']\"); "
        "return row ? row.textContent : '';"
    )
    wait.until(  # the page's words and the answers again, in Russian
        lambda d: "Правомочно ли заседание" in d.execute_script(quorum_text)
    )
    assert "Вопрос" in driver.find_element(By.CSS_SELECTOR, "#answers thead").text
    assert "соблюдено" in driver.find_element(By.CSS_SELECTOR, "#answers tbody").text


def test_the_page_shows_what_another_date_changes(browser: tuple[WebDriver, str]) -> None:
    driver, url = browser
    wait = _ready(driver, url)
    _fill(driver, EXAMPLE.read_text(encoding="utf-8"))
    driver.execute_script("document.getElementById('on2').value = '2024-06-03';")
    driver.find_element(By.ID, "compare-button").click()
    wait.until(expected_conditions.visibility_of_element_located((By.ID, "other-head")))
    changed = driver.find_elements(By.CSS_SELECTOR, "#answers tbody tr.changed")
    questions = {row.get_attribute("data-question") for row in changed}
    assert "procedure.stages" in questions  # under the 2023 text, the stages differ
    assert "жауап өзгерді" in driver.find_element(By.ID, "summary").text


def test_bad_facts_are_shown_with_the_field(browser: tuple[WebDriver, str]) -> None:
    driver, url = browser
    wait = _ready(driver, url)
    _fill(driver, "session: {language: kz}\n")
    driver.find_element(By.ID, "evaluate").click()
    wait.until(lambda d: d.find_element(By.ID, "error").text)
    error = driver.find_element(By.ID, "error").text
    assert "session.language" in error and "ISO 639" in error
