"""The README, followed as a new user follows it: its links lead to files of the repository,
its curl walkthrough runs against a live server and fails visibly when a step fails, and its
newman command can point at any port."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
LINK = re.compile(r"\]\(([^)\s]+)\)|\b(?:href|src)=\"([^\"]+)\"")


def _walkthrough() -> str:
    section = README.split("## Five minutes with curl", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def test_readme_links_only_files_of_the_repository():
    targets = [a or b for a, b in LINK.findall(README)]
    local = [t for t in targets if not t.startswith(("http://", "https://", "#", "mailto:"))]

    assert local, "the README links some files"
    for target in local:
        path = target.split("#", 1)[0]
        assert not path.startswith(("../", "/")), target
        assert (ROOT / path).exists(), target
    assert "../shared" not in README


def test_readme_points_newman_at_the_port_make_run_serves():
    assert "--env-var baseUrl=http://127.0.0.1:${PORT:-8000}" in README


def test_walkthrough_stops_at_the_first_failure():
    script = _walkthrough()

    assert script.startswith("set -e -o pipefail\n")
    curls = [line for line in script.splitlines() if re.match(r"^(TOKEN=\$\()?curl ", line)]
    assert curls
    assert all("--fail-with-body" in line for line in curls)


def _run(script: str, base: str) -> subprocess.CompletedProcess:
    script = script.replace("B=http://127.0.0.1:${PORT:-8000}/api", f"B={base}/api")
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_walkthrough_runs_against_a_live_server(live_server):
    first = _run(_walkthrough(), live_server.url)
    again = _run(_walkthrough(), live_server.url)

    assert first.returncode == 0, first.stderr
    assert '"total_income":"2500.00"' in first.stdout
    assert '"total_amount":"42.10"' in first.stdout
    # A second run meets the taken username: it stops there, with the API's answer.
    assert again.returncode != 0
    assert "This username is already taken." in again.stdout + again.stderr
    assert "Traceback" not in again.stderr
    assert '"total_income"' not in again.stdout


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_walkthrough_stops_when_sign_in_fails(live_server):
    script = _walkthrough().replace(
        '{"username": "alice", "password": "correct-horse-99"}',
        '{"username": "alice", "password": "wrong-password"}',
    )

    result = _run(script, live_server.url)

    assert result.returncode != 0
    assert "no access token in {'type': 'urn:fintrack:problem:" in result.stderr
    assert "curl: (22) The requested URL returned error: 401" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count('"username":"alice"') == 1  # register's answer; me/ not read


def test_the_token_one_liner_exits_non_zero_without_a_token():
    line = next(line for line in _walkthrough().splitlines() if "python3 -c" in line)
    program = re.search(r"python3 -c '([^']+)'", line).group(1)

    for answer in ('{"detail": "nope"}', ""):
        result = subprocess.run(
            ["python3", "-c", program], input=answer, capture_output=True, text=True
        )

        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.startswith("no access token in {")
        assert "Traceback" not in result.stderr
