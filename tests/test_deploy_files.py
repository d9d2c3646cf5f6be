"""The deployment files: Dockerfile, docker-compose.yml, deploy/haproxy.cfg, render.yaml and
Procfile, checked by what runs here (no Docker daemon): hadolint, `docker compose config` and
`haproxy -c` when present, and parsing. Every variable they set is one the README documents,
and every command they run exists."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# Set by the hosts themselves or read by the images they run, not by fintrack's settings.
HOST_VARIABLES = {"PYTHON_VERSION"}


def readme_section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.MULTILINE | re.DOTALL)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def documented_variables() -> set[str]:
    """The names in the first column of the README's configuration table."""
    names: set[str] = set()
    for line in readme_section("Configuration").splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def settings_source() -> str:
    return "".join(path.read_text() for path in (ROOT / "config" / "settings").glob("*.py"))


# --- Dockerfile ---------------------------------------------------------------------------


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuations joined, comments dropped), per stage."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def instructions(stage: list[str], keyword: str) -> list[str]:
    return [line for line in stage if line.split()[0].upper() == keyword]


def test_dockerfile_builds_in_two_stages_from_slim_python_311() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    for stage in stages:
        assert stage[0].split()[1] == "python:3.11-slim"


def test_dockerfile_installs_the_locked_hashed_requirements() -> None:
    build = dockerfile_stages()[0]
    runs = " ".join(instructions(build, "RUN"))
    assert "pip install --require-hashes -r requirements/base.txt" in runs
    assert any("requirements/base.txt" in line for line in instructions(build, "COPY"))


def test_dockerfile_collects_static_files_at_build_with_a_throwaway_key() -> None:
    build, final = dockerfile_stages()[0], dockerfile_stages()[-1]
    collect = [line for line in instructions(build, "RUN") if "collectstatic" in line]
    assert collect and "SECRET_KEY=" in collect[0]
    assert "config.settings.production" in collect[0]
    assert any("--from=build /app" in line for line in instructions(final, "COPY"))


def test_dockerfile_bakes_in_no_secret() -> None:
    for stage in dockerfile_stages():
        for line in instructions(stage, "ENV") + instructions(stage, "ARG"):
            assert not re.search(r"SECRET|PASSWORD|TOKEN|DATABASE_URL", line), line
    final = dockerfile_stages()[-1]
    assert not any("SECRET_KEY" in line for line in final)


def test_dockerfile_runs_gunicorn_as_a_non_root_user_with_a_health_check() -> None:
    final = dockerfile_stages()[-1]
    users = instructions(final, "USER")
    assert users and users[-1].split()[1].split(":")[0] not in ("root", "0")
    healthcheck = instructions(final, "HEALTHCHECK")
    assert len(healthcheck) == 1
    assert "/api/health/" in healthcheck[0] and '"python"' in healthcheck[0]
    assert "curl" not in healthcheck[0]  # not in the slim image
    cmd = instructions(final, "CMD")[-1]
    assert cmd.split(None, 1)[1].startswith('["gunicorn", "config.wsgi"')
    env = " ".join(instructions(final, "ENV"))
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in env


def test_dockerfile_passes_hadolint() -> None:
    binary = Path(sys.executable).parent / "hadolint"
    if not binary.exists():
        pytest.skip("hadolint is not installed (requirements/dev.txt installs it)")
    result = subprocess.run(
        [str(binary), "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerignore_keeps_the_virtualenv_and_the_repository_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "node_modules", "db.sqlite3"} <= set(ignored)


# --- docker-compose.yml -------------------------------------------------------------------


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_database_redis_a_one_shot_migration_two_replicas_and_a_balancer() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "app", "lb"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    app = services["app"]
    assert app["deploy"]["replicas"] == 2
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["build"] == "."
    lb = services["lb"]
    assert lb["image"].startswith("haproxy:")
    assert "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in lb["volumes"]


def test_compose_sets_only_documented_variables_and_asks_for_its_secrets() -> None:
    documented = documented_variables()
    services = compose()["services"]
    for name in ("migrate", "app"):
        environment = services[name]["environment"]
        assert set(environment) <= documented, set(environment) - documented
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    source = settings_source()
    for variable in set(services["app"]["environment"]) - {"DJANGO_SETTINGS_MODULE", "PORT"}:
        if variable != "WEB_CONCURRENCY":  # read by gunicorn itself
            assert f'"{variable}"' in source, f"{variable} is read by no setting"


def test_compose_config_validates_when_the_plugin_is_here() -> None:
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        pytest.skip("no docker compose plugin on this machine")
    result = subprocess.run(
        [docker, "compose", "config", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x" * 40, "POSTGRES_PASSWORD": "y" * 20, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_haproxy_checks_health_and_retries_on_the_other_replica() -> None:
    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    assert "uri /api/health/" in config
    assert "option redispatch" in config
    assert re.search(r"retry-on .*conn-failure.*empty-response", config)
    # A POST without an Idempotency-Key is never sent twice once it reached an instance.
    assert "disable-l7-retry if METH_POST !{ req.hdr(Idempotency-Key) -m found }" in config
    assert "server-template app 2 app:8000" in config
    haproxy = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if haproxy is None:
        return
    result = subprocess.run(
        [haproxy, "-c", "-f", str(ROOT / "deploy" / "haproxy.cfg")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- render.yaml and Procfile -------------------------------------------------------------


def assert_command_exists(command: str) -> None:
    """A shell command of a blueprint: manage.py commands exist, gunicorn's app imports,
    pip installs a lock file that is here."""
    for part in command.split("&&"):
        words = shlex.split(part)
        if words[:2] == ["python", "manage.py"]:
            assert words[2] in get_commands(), f"manage.py has no command {words[2]!r}"
        elif words[0] == "gunicorn":
            module, _, attribute = words[1].partition(":")
            assert (ROOT / Path(*module.split("."))).with_suffix(".py").exists()
            assert "application" in (ROOT / Path(*module.split("."))).with_suffix(".py").read_text()
        elif words[0] == "pip":
            assert "--require-hashes" in words
            assert (ROOT / words[words.index("-r") + 1]).exists()
        else:
            raise AssertionError(f"unexpected command {part!r}")


def render_web() -> dict:
    blueprint = yaml.safe_load((ROOT / "render.yaml").read_text())
    (web,) = [s for s in blueprint["services"] if s["type"] == "web"]
    return web


def test_render_blueprint_has_a_database_redis_a_secret_and_a_health_check() -> None:
    blueprint = yaml.safe_load((ROOT / "render.yaml").read_text())
    (database,) = blueprint["databases"]
    (keyvalue,) = [s for s in blueprint["services"] if s["type"] == "keyvalue"]
    web = render_web()
    assert web["healthCheckPath"] == "/api/health/"
    assert web["preDeployCommand"] == "python manage.py migrate --noinput"
    env = {item["key"]: item for item in web["envVars"]}
    assert env["SECRET_KEY"] == {"key": "SECRET_KEY", "generateValue": True}
    assert env["DATABASE_URL"]["fromDatabase"] == {
        "name": database["name"],
        "property": "connectionString",
    }
    assert env["REDIS_URL"]["fromService"]["name"] == keyvalue["name"]
    assert env["DJANGO_SETTINGS_MODULE"]["value"] == "config.settings.production"
    assert set(env) - HOST_VARIABLES <= documented_variables()


def test_render_commands_exist() -> None:
    web = render_web()
    for key in ("buildCommand", "preDeployCommand", "startCommand"):
        assert_command_exists(web[key])


def test_procfile_has_a_release_phase_and_a_web_process_whose_commands_exist() -> None:
    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert set(processes) == {"release", "web"}
    assert processes["release"] == "python manage.py migrate --noinput"
    for command in processes.values():
        assert_command_exists(command)


def test_readme_deploying_lists_every_variable_a_host_sets() -> None:
    deploying = readme_section("Deploying")
    names = set(compose()["services"]["app"]["environment"])
    names |= {item["key"] for item in render_web()["envVars"]} - HOST_VARIABLES
    missing = {name for name in names if f"`{name}`" not in deploying}
    assert not missing, missing
    for file in ("docker-compose.yml", "render.yaml", "Procfile", "Dockerfile"):
        assert file in deploying


def test_the_cluster_soak_runs_haproxy_as_deploy_configures_it() -> None:
    """make cluster-soak proves deploy/haproxy.cfg's retry and error settings, not others."""
    from bench.cluster import HAPROXY_CONFIG, http_error_lines

    generated = HAPROXY_CONFIG.format(
        port=1, check_ms=1000, servers="", http_errors=http_error_lines()
    )
    deployed = (ROOT / "deploy" / "haproxy.cfg").read_text()
    keywords = ("retry-on", "retries", "option redispatch", "http-error", "timeout check")
    for keyword in (*keywords, "disable-l7-retry"):
        lines = {line.strip() for line in generated.splitlines() if keyword in line}
        assert lines, keyword
        assert lines <= {line.strip() for line in deployed.splitlines()}, keyword


def test_ci_runs_the_cluster_soak_smoke_and_still_ends_with_the_test_count() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^cluster-soak: install\n\t\$\(PY\) scripts/cluster_soak\.py", makefile, re.M)
    assert re.search(r"^bench-cluster: install\n\t\$\(PY\) -m bench\.cluster_bench", makefile, re.M)
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip()]
    smoke = next(i for i, line in enumerate(ci) if "make cluster-soak CLUSTER_ARGS=--smoke" in line)
    assert ci[-1] == "count_tests" and smoke < len(ci) - 1
