"""docker-compose.yml, docker/Dockerfile, odoo.conf and requirements.txt agree.

No Docker engine runs on our machines, so the compose file is checked by
reading it: a user's `docker compose up` must find what odoo.conf expects.
"""

import configparser
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def conf():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "odoo.conf")
    return parser["options"]


def volume_targets(service):
    """{container path: host source} of a compose service's volumes."""
    targets = {}
    for volume in service.get("volumes", []):
        source, target, *_mode = volume.split(":")
        targets[target] = source
    return targets


def test_services_and_images(compose):
    services = compose["services"]
    assert set(services) == {"db", "odoo", "proxy"}
    assert services["db"]["image"] == "postgres:16"
    assert services["proxy"]["image"].startswith("nginx:")
    dockerfile = (ROOT / services["odoo"]["build"]["dockerfile"]).read_text()
    assert re.search(r"^FROM odoo:18\s*$", dockerfile, re.MULTILINE), "the Odoo service must build on odoo:18"


def test_requirements_installed_in_image(compose):
    dockerfile = (ROOT / compose["services"]["odoo"]["build"]["dockerfile"]).read_text()
    assert "COPY requirements.txt" in dockerfile
    assert re.search(r"pip3? install .*-r \S*requirements", dockerfile)
    # OCA wheels require the distribution `odoo`, which the image lacks: --no-deps.
    assert "COPY requirements-oca.txt" in dockerfile
    assert re.search(r"pip3? install .*--no-deps -r \S*requirements-oca", dockerfile)


def test_mounts_match_addons_path_and_config(compose, conf):
    odoo = compose["services"]["odoo"]
    mounts = volume_targets(odoo)
    addons_targets = [target for target, source in mounts.items() if source == "./addons"]
    assert addons_targets, "./addons must be mounted into the Odoo container"
    addons_path = [path.strip() for path in conf["addons_path"].split(",")]
    assert addons_targets[0] in addons_path, "odoo.conf's addons_path must include the mounted addons"
    assert "/usr/lib/python3/dist-packages/odoo/addons" in addons_path, "the image's own addons must stay first"
    config_targets = [target for target, source in mounts.items() if source == "./odoo.conf"]
    assert config_targets and config_targets[0] in odoo["command"], "the container must run with the mounted odoo.conf"
    assert conf["data_dir"] in mounts and mounts[conf["data_dir"]] in compose["volumes"], "filestore on a named volume"


def test_database_settings_agree(compose, conf):
    db = compose["services"]["db"]
    assert conf["db_host"] == "db"
    assert conf["db_user"] == db["environment"]["POSTGRES_USER"]
    assert conf["db_password"] == db["environment"]["POSTGRES_PASSWORD"]
    assert int(conf["db_port"]) == 5432
    db_mounts = volume_targets(db)
    assert db_mounts.get("/var/lib/postgresql/data") in compose["volumes"], "database on a named volume"


@pytest.fixture(scope="module")
def nginx_conf(compose):
    mounts = volume_targets(compose["services"]["proxy"])
    source = mounts["/etc/nginx/conf.d/default.conf"]
    return (ROOT / source).read_text()


def test_only_the_proxy_is_published(compose, conf):
    """Odoo's ports are reached through nginx only: bursts of connections queue in
    nginx (Odoo's prefork server listens with a backlog of 8 per worker and resets
    the rest), and proxy_mode trusts the X-Forwarded-* headers nginx sets."""
    odoo = compose["services"]["odoo"]
    assert "ports" not in odoo, "publish the proxy, not Odoo"
    assert {str(port) for port in odoo["expose"]} == {conf["http_port"], conf["gevent_port"]}
    assert [port.split(":")[-1] for port in compose["services"]["proxy"]["ports"]] == ["80"]


def test_proxy_routes_match_config(nginx_conf, conf):
    upstreams = {
        name: set(re.findall(r"server odoo:(\d+)", body))
        for name, body in re.findall(r"upstream (\w+) \{(.*?)\}", nginx_conf, re.DOTALL)
    }
    assert upstreams == {"odoo": {conf["http_port"]}, "odoo_websocket": {conf["gevent_port"]}}
    websocket = re.search(r"location /websocket \{(.*?)\}", nginx_conf, re.DOTALL).group(1)
    assert "proxy_pass http://odoo_websocket;" in websocket
    assert "proxy_set_header Upgrade $http_upgrade;" in websocket
    assert re.search(r"location / \{[^}]*proxy_pass http://odoo;", nginx_conf)
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header} " in nginx_conf, f"proxy_mode needs {header}"


def test_proxy_absorbs_bursts_and_outlasts_odoo(nginx_conf, conf):
    backlog = int(re.search(r"listen 80 backlog=(\d+);", nginx_conf).group(1))
    assert backlog >= 100 * conf.getint("workers"), "nginx must queue what Odoo's backlog resets"
    read_timeout = int(re.search(r"^    proxy_read_timeout (\d+)s;", nginx_conf, re.MULTILINE).group(1))
    assert read_timeout > conf.getint("limit_time_real"), "Odoo must end a slow request before nginx gives up"
    # A connection Odoo resets (its backlog full) is tried again, not answered with 502.
    assert len(re.findall(r"server odoo:\d+ max_fails=0;", nginx_conf)) >= 2
    assert "proxy_next_upstream error timeout;" in nginx_conf


def test_healthchecks(compose):
    for name, service in compose["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"service {name} has no healthcheck"
    assert compose["services"]["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_production_settings(conf):
    assert conf.getboolean("proxy_mode") is True
    assert conf.getboolean("list_db") is False
    # One named database and no filter: Odoo never lists databases on a request.
    assert conf["db_name"] and "," not in conf["db_name"]
    assert not conf["dbfilter"]
    assert conf.getint("workers") >= 2
    assert conf["admin_passwd"], "admin_passwd must be set (a placeholder to replace)"
    for limit in ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
        assert conf.getint(limit) > 0


def test_requirements_are_pinned():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    names = {re.split(r"[=<>!~]", line)[0].lower() for line in lines}
    for needed in ("phonenumbers", "qrcode", "python-barcode", "xlsxwriter", "pytest-odoo"):
        assert needed in names, f"{needed} is missing from requirements.txt"
    for line in lines:
        assert "==" in line, f"requirement not pinned: {line}"
        if line.lower().startswith("odoo-addon-"):
            assert "==18.0." in line, f"OCA addons must come from the 18.0 series: {line}"


def test_oca_requirements_are_pinned_and_installed_without_deps():
    """OCA addons live in requirements-oca.txt (18.0 series, exact versions), installed with
    --no-deps by scripts/randevu.sh, whose requirements stamp covers that file."""
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements-oca.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    assert lines
    for line in lines:
        assert line.lower().startswith("odoo-addon-") and "==18.0." in line, f"not a pinned 18.0 OCA addon: {line}"
    main = (ROOT / "requirements.txt").read_text().lower()
    assert "odoo-addon-" not in main, "OCA wheels require `odoo`: list them in requirements-oca.txt"
    script = (ROOT / "scripts" / "randevu.sh").read_text()
    assert re.search(r"--no-deps \\\s*\n\s*-r \"\$ROOT/requirements-oca.txt\"", script)
    assert '"$ROOT/requirements-oca.txt" \\\n        "$ROOT/scripts/constraints.txt" | sha256sum' in script
