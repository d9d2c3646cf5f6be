"""Copies the dashboard's third-party assets from node_modules into fintrack's static files.

    npm ci && .venv/bin/python scripts/vendor_assets.py

Run it after changing a version in package.json / package-lock.json. Each vendored file is
recorded in fintrack/web/static/web/vendor/VENDORED.json with the package's version and
lock-file integrity and the file's own SHA-256; tests/test_web_assets.py fails when the
vendored file, the record and the lock file disagree. fintrack itself never needs Node.
"""

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "fintrack" / "web" / "static" / "web" / "vendor"
MANIFEST = VENDOR / "VENDORED.json"
# package name -> (file inside the package, name under static/web/vendor/). The source map
# comes along because the script names it: collectstatic's manifest storage refuses a
# reference to a missing file, and the browser only fetches it with its developer tools open.
ASSETS = {
    "chart.js": [
        ("dist/chart.umd.min.js", "chart.umd.min.js"),
        ("dist/chart.umd.min.js.map", "chart.umd.min.js.map"),
    ]
}


def locked(package: str) -> dict[str, str]:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    entry = lock["packages"][f"node_modules/{package}"]
    return {"version": entry["version"], "integrity": entry["integrity"]}


def main() -> int:
    records = {}
    for package, files in ASSETS.items():
        installed = ROOT / "node_modules" / package
        want = locked(package)
        have = json.loads((installed / "package.json").read_text())["version"]
        if have != want["version"]:
            print(f"{package}: node_modules has {have}, the lock {want['version']}: run npm ci")
            return 1
        copied = {}
        for source, target in files:
            shutil.copyfile(installed / source, VENDOR / target)
            copied[target] = {
                "source": source,
                "sha256": hashlib.sha256((VENDOR / target).read_bytes()).hexdigest(),
            }
            print(f"{package} {want['version']}: {source} -> static/web/vendor/{target}")
        records[package] = {**want, "files": copied}
    MANIFEST.write_text(json.dumps(records, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
