"""The dashboard's page and assets, without a browser: routes, CSP, sizes, vendored Chart.js."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "fintrack" / "web" / "static" / "web"
VENDOR = STATIC / "vendor"
LOCK = json.loads((ROOT / "package-lock.json").read_text())
MANIFEST = json.loads((VENDOR / "VENDORED.json").read_text())

OWN_LIMIT = 60 * 1024
ALL_LIMIT = 300 * 1024


def own_assets() -> list[Path]:
    return [p for p in STATIC.rglob("*") if p.is_file() and VENDOR not in p.parents]


def loaded_vendor_assets() -> list[Path]:
    # What the page loads: not the source map (devtools only) nor the manifest.
    return [VENDOR / "chart.umd.min.js"]


def test_root_redirects_to_the_app() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/app/"


def test_app_page_has_a_strict_csp_and_no_inline_code() -> None:
    response = Client().get("/app/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    csp = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert not any("unsafe" in d or "http" in d for d in csp)
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts, "the page loads its scripts"
    assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    # Every asset the page names is fintrack's own.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert url.startswith("/static/"), url


def test_every_control_has_a_label_and_api_field_names() -> None:
    html = Client().get("/app/").content.decode()
    ids = set(re.findall(r'<label for="([^"]+)"', html))
    controls = re.findall(r"<(?:input|select)\b([^>]*)>", html)
    for attrs in controls:
        id_attr = re.search(r'id="([^"]+)"', attrs)
        assert id_attr, f"a control without an id: <{attrs}>"
        control_id = id_attr.group(1)
        assert control_id in ids, f"no label for #{control_id}"
    names = set(re.findall(r'<(?:input|select)\b[^>]*\bname="([^"]+)"', html))
    assert {"username", "email", "password", "amount", "date", "category", "description"} <= names


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_app_page_is_read_only(method: str) -> None:
    # As a browser or curl meets it: with the CSRF check (the test client skips it by default),
    # which once answered its HTML 403 page before the 405.
    response = getattr(Client(enforce_csrf_checks=True), method)("/app/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_own_assets_stay_under_60_kb_and_all_under_300_kb() -> None:
    own = sum(p.stat().st_size for p in own_assets())
    vendored = sum(p.stat().st_size for p in loaded_vendor_assets())
    assert own < OWN_LIMIT, f"own JS, CSS and icon: {own} bytes"
    assert own + vendored < ALL_LIMIT, f"everything the page loads: {own + vendored} bytes"


def test_each_view_is_a_module_of_its_own() -> None:
    views = {p.name for p in (STATIC / "views").glob("*.js")}
    assert views == {
        "auth.js",
        "summary.js",
        "budgets.js",
        "goals.js",
        "records.js",
        "upcoming.js",
        "imports.js",
    }


@pytest.mark.parametrize("package", sorted(MANIFEST))
def test_vendored_files_match_the_locked_package(package: str) -> None:
    """Fails when package-lock.json moves without `scripts/vendor_assets.py`, or a file is edited.

    The lock's integrity is the hash of the package's tarball, so the record made by the
    script ties the two: same version and integrity as the lock, and the files' own hashes.
    Where node_modules holds the locked version (CI runs `npm ci`), the files must also be
    byte for byte the package's.
    """
    record = MANIFEST[package]
    locked = LOCK["packages"][f"node_modules/{package}"]
    assert (record["version"], record["integrity"]) == (locked["version"], locked["integrity"])
    installed = ROOT / "node_modules" / package
    installed_version = None
    if (installed / "package.json").exists():
        installed_version = json.loads((installed / "package.json").read_text())["version"]
    for name, file in record["files"].items():
        data = (VENDOR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == file["sha256"], f"{name} was edited"
        if installed_version == locked["version"]:
            assert data == (installed / file["source"]).read_bytes(), f"{name} differs"


def test_the_vendored_chart_is_the_locked_version() -> None:
    head = (VENDOR / "chart.umd.min.js").read_text()[:200]
    assert f"Chart.js v{LOCK['packages']['node_modules/chart.js']['version']}" in head
