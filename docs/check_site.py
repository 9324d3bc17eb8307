"""Check the built documentation in a real (headless) browser.

Usage::

    python docs/check_site.py docs/_build/html [--screenshots DIR]

Serves ``BUILD_DIR`` on 127.0.0.1 (a free port, Python's ``http.server`` in a thread),
opens the front page, the API reference, the API page of ``MIFeatureSelector`` and one
gallery example in headless Chromium (Playwright driving the system's
``/usr/bin/chromium``; set ``CHROMIUM`` to use another binary), and fails when

* the page logs a JavaScript console error or raises an uncaught exception;
* the page requests anything that is not served from the build (the site must work
  offline), or a request fails or answers with an HTTP error;
* an image on the page does not decode (``naturalWidth == 0``);
* a local link on the page (``<a href>`` into the build) answers with an HTTP error,
  or names a ``#fragment`` that the target page does not define.

It prints each page with the number of images and links it checked (``--verbose``:
every image and link), and exits with status 1 on any failure. ``--screenshots DIR``
saves a full-page PNG of each opened page.
``--self-test`` instead checks a small broken site made on the spot and fails unless
every kind of problem above is reported (so a passing check means something).

Needs ``pip install playwright`` (the ``browser`` extra) and Debian's ``chromium``
package; it never downloads a browser (no ``playwright install``).
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the output to the checks
        pass


def _serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class _Ids(html.parser.HTMLParser):
    """Collect every ``id`` and ``name`` anchor of an HTML page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value)


def _pages_to_open(root: Path) -> list[str]:
    pages = ["index.html", "api.html", "generated/skinfo.MIFeatureSelector.html"]
    examples = sorted((root / "auto_examples").glob("plot_*.html"))
    with_figure = [p for p in examples if "sphx-glr-single-img" in p.read_text()]
    if not with_figure:
        raise SystemExit(f"no gallery example with a figure under {root}/auto_examples")
    pages.append(with_figure[0].relative_to(root).as_posix())
    missing = [p for p in pages if not (root / p).is_file()]
    if missing:
        raise SystemExit(f"not built: {', '.join(missing)} (under {root})")
    return pages


def check_site(
    root: Path, screenshots: Path | None = None, verbose: bool = False
) -> list[str]:
    """Open the pages, follow their local links and images; return the failures."""
    from playwright.sync_api import sync_playwright

    failures: list[str] = []
    server, base = _serve(root)
    anchors: dict[str, set[str]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            print(f"browser: Chromium {browser.version}, serving {root} at {base}")
            context = browser.new_context(viewport={"width": 1280, "height": 900})

            def block_remote(route):
                if route.request.url.startswith(base):
                    route.continue_()
                else:
                    failures.append(f"remote request {route.request.url}")
                    route.abort()

            context.route("**/*", block_remote)
            for rel in _pages_to_open(root):
                url = base + rel
                page = context.new_page()
                problems: list[str] = []
                page.on(
                    "console",
                    lambda m, p=problems: (
                        p.append(f"console {m.type}: {m.text}")
                        if m.type == "error"
                        else None
                    ),
                )
                page.on("pageerror", lambda e, p=problems: p.append(f"page error: {e}"))
                page.on(
                    "requestfailed",
                    lambda r, p=problems: p.append(
                        f"request failed: {r.url} ({r.failure})"
                    ),
                )
                page.on(
                    "response",
                    lambda r, p=problems: (
                        p.append(f"HTTP {r.status}: {r.url}")
                        if r.status >= 400
                        else None
                    ),
                )
                response = page.goto(url, wait_until="load")
                if response is None or response.status != 200:
                    problems.append(f"HTTP {response and response.status}: {url}")
                # Load lazy images too, then read their decoded sizes.
                images = page.evaluate(
                    """async () => {
                        const imgs = [...document.images];
                        for (const img of imgs) img.loading = "eager";
                        await Promise.all(imgs.map(img => img.decode().catch(() => 0)));
                        return imgs.map(img => [img.currentSrc || img.src,
                                                img.naturalWidth, img.naturalHeight]);
                    }"""
                )
                for src, width, height in images:
                    if verbose:
                        print(f"       image {width}x{height} {src}")
                    if width == 0:
                        problems.append(f"image does not load: {src}")
                hrefs = page.eval_on_selector_all(
                    "a[href]", "as => as.map(a => a.href)"
                )
                local = sorted({h for h in hrefs if h.startswith(base)})
                n_external = len({h for h in hrefs if not h.startswith(base)})
                for link in local:
                    if verbose:
                        print(f"       link {link}")
                    target, fragment = urldefrag(link)
                    got = context.request.get(target)
                    if got.status != 200:
                        problems.append(f"link HTTP {got.status}: {link}")
                        continue
                    if fragment and target.endswith((".html", "/")):
                        if target not in anchors:
                            parser = _Ids()
                            parser.feed(got.text())
                            anchors[target] = parser.ids
                        if unquote(fragment) not in anchors[target]:
                            problems.append(f"link to a missing anchor: {link}")
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    shot = screenshots / (rel.replace("/", "_")[:-5] + ".png")
                    page.screenshot(path=str(shot), full_page=True)
                    print(f"  screenshot {shot}")
                status = "FAIL" if problems else "ok"
                print(
                    f"{status:4} {rel}: {len(images)} images checked, {len(local)} "
                    f"local links followed ({n_external} external not followed), "
                    f"{len(problems)} problems"
                )
                for problem in problems:
                    print(f"       {problem}")
                    failures.append(f"{rel}: {problem}")
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return failures


_PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4c20000000049454e44ae426082"
)


def self_test() -> int:
    """Check a site with one problem of each kind; every one must be reported."""
    import tempfile

    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head>'
        "<body><h1 id='top'>{body}</h1></body></html>"
    )
    pages = {
        "index.html": '<a href="api.html">api</a><a href="missing.html">gone</a>'
        '<img src="ok.png"><img src="broken.png">',
        "api.html": '<a href="index.html#top">ok</a><a href="index.html#nowhere">x</a>'
        "<script>console.error('boom from console')</script>",
        "generated/skinfo.MIFeatureSelector.html": "<script>throw new Error("
        "'uncaught boom')</script>",
        "auto_examples/plot_demo.html": '<img class="sphx-glr-single-img" '
        'src="https://example.invalid/remote.png"><a href="../index.html">home</a>',
    }
    expected = {
        "missing page": "link HTTP 404: http://127.0.0.1:{port}/missing.html",
        "broken image": "image does not load",
        "missing anchor": "link to a missing anchor",
        "console error": "boom from console",
        "page error": "uncaught boom",
        "remote request": "remote request https://example.invalid/remote.png",
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, body in pages.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(page.format(body=body))
        (root / "ok.png").write_bytes(_PNG_1PX)
        (root / "broken.png").write_bytes(b"not a png")
        failures = check_site(root)
    report = "\n".join(failures)
    missed = [
        kind
        for kind, text in expected.items()
        if text.split("{port}")[-1] not in report
    ]
    if missed:
        print(f"self-test FAILED: not reported: {', '.join(missed)}", file=sys.stderr)
        return 1
    print(f"self-test passed: all {len(expected)} kinds of problem were reported")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "build_dir", type=Path, nargs="?", help="the Sphinx HTML output"
    )
    parser.add_argument("--screenshots", type=Path, help="save a PNG of each page here")
    parser.add_argument(
        "--self-test", action="store_true", help="check a deliberately broken site"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list every image and link"
    )
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    if args.build_dir is None:
        parser.error("BUILD_DIR is required unless --self-test is given")
    root = args.build_dir.resolve()
    if not (root / "index.html").is_file():
        print(f"{root} has no index.html: build the docs first", file=sys.stderr)
        return 2
    failures = check_site(root, args.screenshots, args.verbose)
    if failures:
        print(f"site check FAILED: {len(failures)} problems", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("site check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
