#!/usr/bin/env python3
"""The explorer in a real browser: Debian's headless Chromium driven through chromedriver
(python3-selenium). Trains tiny vectors and a tiny model in a temp folder, starts `wordspace
serve` on 127.0.0.1 with a free port, types a word and checks that the neighbours and the map
appear, clicks a word on the map to recentre, opens an analogy and the language-model views from
their URLs, and saves screenshots (desktop and narrow) into OUTPUT_DIR. The page must log no
error (a Content-Security-Policy violation or a script error would). Exits 77 (skipped) with
a message when no browser is installed: `bash scripts/setup.sh --browser` installs one.

usage: browser_test.py path/to/wordspace OUTPUT_DIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)


def skip(why):
    print(f"SKIP: {why}; `bash scripts/setup.sh --browser` installs chromium, chromium-driver "
          "and python3-selenium")
    sys.exit(SKIP)


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    skip("python3-selenium is not installed")
if not CHROMIUM or not CHROMEDRIVER:
    skip("no chromium or chromedriver")

CORPUS = [
    "we walked along the river bank and the water was cold",
    "she took her money to the bank to deposit it into her account",
    "the capital of france is paris and the capital of italy is rome",
    "a cat and a dog play in the garden of the small house",
    "he is a doctor and she is a nurse in the town hospital",
]


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def main():
    binary, output_dir = sys.argv[1], sys.argv[2]
    os.makedirs(output_dir, exist_ok=True)
    failures = []

    def check(condition, what):
        if not condition:
            failures.append(what)
            print(f"FAIL: {what}")

    with tempfile.TemporaryDirectory(prefix="wordspace-browser.") as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w") as f:
            f.write("\n".join(CORPUS * 200) + "\n")
        vectors, model = os.path.join(tmp, "v.vec"), os.path.join(tmp, "m.lm")
        run(binary, "train", "--input", corpus, "--output", vectors, "--min-count", "1",
            "--dim", "16", "--epochs", "2", "--threads", "1", "--quiet")
        run(binary, "lm-train", "--input", corpus, "--output", model, "--d-model", "16",
            "--layers", "2", "--heads", "2", "--context", "16", "--batch", "8", "--steps", "30",
            "--seed", "1", "--quiet")
        server = subprocess.Popen(
            [binary, "serve", "--vectors", vectors, "--model", model, "--port", "0", "--json",
             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        driver = None
        try:
            line = server.stdout.readline()
            if not line:
                raise RuntimeError(f"the server did not start: {server.stderr.read()}")
            url = json.loads(line)["url"]
            # Chromium writes crash reports and settings under $HOME and the XDG folders,
            # whatever --user-data-dir says: all of them inside the temp folder.
            for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
                os.environ[name] = os.path.join(tmp, "home")
            options = webdriver.ChromeOptions()
            options.binary_location = CHROMIUM
            for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--disable-breakpad",
                         f"--user-data-dir={tmp}/chromium-profile",
                         "--window-size=1280,1100"]:
                options.add_argument(flag)
            options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
            driver = webdriver.Chrome(service=Service(CHROMEDRIVER, log_output=subprocess.DEVNULL)
                                      if "log_output" in Service.__init__.__code__.co_varnames
                                      else Service(CHROMEDRIVER), options=options)
            wait = WebDriverWait(driver, 20)

            def screenshot(name, width):  # the whole page: the window as tall as the page
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(height + 140, 8000))
                time.sleep(0.3)
                driver.save_screenshot(os.path.join(output_dir, name))

            def texts(selector):  # read in one script: the page may redraw between two calls
                return driver.execute_script(
                    "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)",
                    selector)

            driver.get(url)
            wait.until(lambda d: "words" in d.find_element(By.ID, "info").text)

            # Type a word: the neighbours and the map appear, and the URL holds the query.
            box = driver.find_element(By.ID, "q")
            box.send_keys("bank")
            box.send_keys(Keys.ENTER)
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#neighbors li")) >= 5)
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#map g.pt")) >= 5)
            neighbours = texts("#neighbors li a")
            check("bank" not in neighbours and len(neighbours) == 10,
                  f"neighbours of bank: {neighbours}")
            labels = texts("#map g.pt text")
            check("bank" in labels, f"the map does not show bank: {labels}")
            check(driver.current_url.endswith("/?q=bank"), f"URL after a search: {driver.current_url}")
            # The model's views are on the page too (attention cells, the lens grid).
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#attention rect")) > 10)
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#lens text")) > 10)
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#context text")) > 3)
            check(len(driver.find_elements(By.CSS_SELECTOR, "#next li")) == 10, "no next words")
            screenshot("explorer-desktop.png", 1280)

            # Click another word on the map: the page recentres on it.
            other = next(e for e in driver.find_elements(By.CSS_SELECTOR, "#map g.pt")
                         if e.get_attribute("data-word") != "bank")
            word = other.get_attribute("data-word")
            driver.execute_script(
                "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", other)
            wait.until(lambda d: d.find_element(By.ID, "q").get_attribute("value") == word)
            wait.until(lambda d: word in texts("#map g.pt text") and texts("#neighbors li a"))
            check(f"q={word}" in driver.current_url, f"URL after recentring on {word}: {driver.current_url}")

            # A bookmarked analogy and sentence open in that state, at a phone's width.
            driver.set_window_size(390, 1600)
            driver.get(url + "?a=paris&b=france&c=rome&lm=the%20capital%20of%20italy%20is&bw=doctor%20nurse")
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#analogy-result ol.analogy-answers li")) >= 2)
            titles = texts("#analogy-result h3")
            check(any("3CosAdd" in t for t in titles) and any("3CosMul" in t for t in titles),
                  f"analogy shows both measures: {titles}")
            wait.until(lambda d: d.find_element(By.ID, "lm-text").get_attribute("value") == "the capital of italy is")
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#bias rect")) >= 3)
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#next li")) == 10)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            check(width <= 400, f"the narrow page scrolls sideways: {width} px wide")
            screenshot("explorer-narrow.png", 390)

            errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            check(not errors, f"the page logged errors: {errors}")
        finally:
            if driver is not None:
                driver.quit()
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
                failures.append("the server did not stop on SIGINT")
            if server.returncode not in (0, None) and not failures:
                failures.append(f"the server exited {server.returncode}")
    for name in ("explorer-desktop.png", "explorer-narrow.png"):
        path = os.path.join(output_dir, name)
        check(os.path.exists(path) and os.path.getsize(path) > 10000, f"no screenshot {path}")
    if not failures:
        print(f"browser test passed; screenshots in {output_dir}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
