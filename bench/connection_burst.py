"""Bursts of simultaneous connections: Odoo alone vs behind nginx (docker/nginx.conf).

    .venv/bin/python bench/connection_burst.py --conf .randevu/odoo.bench.conf --db randevu_bench_http

Odoo's prefork server listens with a backlog of 8 x workers (16 with 2 workers): when
more clients connect at once than it has accepted, the kernel resets the rest and the
visitor sees an error. docker-compose.yml puts nginx in front (backlog 4096, kept-alive
upstream connections). This starts Odoo with 2 HTTP workers on the bench database
(created by bench/booking_http.py's ensure_database), then nginx with docker/nginx.conf
pointed at it (needs Debian's nginx: apt-get install nginx), and sends rounds of 100
simultaneous GET /web/login, each on a new connection, first straight to Odoo, then
through nginx. Reports the share of failed requests per round. Writes
bench/out/connection_burst.json. Never run by `make test`.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
from booking_http import ensure_database  # noqa: E402
from odoo_process import OdooServer, free_port  # noqa: E402


def burst(url, clients):
    """Failed requests out of `clients` sent at the same moment, each on a new connection."""
    barrier = threading.Barrier(clients)

    def one(_index):
        barrier.wait(timeout=60)
        try:
            return requests.get(url, timeout=120, headers={"Connection": "close"}).status_code != 200
        except requests.RequestException:
            return True

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return sum(pool.map(one, range(clients)))


def start_nginx(odoo, workdir):
    """nginx with docker/nginx.conf's server block, its upstreams on `odoo`'s ports."""
    server_block = (ROOT / "docker" / "nginx.conf").read_text()
    server_block = server_block.replace("server odoo:8069", f"server 127.0.0.1:{odoo.port}")
    server_block = server_block.replace("server odoo:8072", f"server 127.0.0.1:{odoo.gevent_port}")
    port = free_port()
    server_block = server_block.replace("listen 80 ", f"listen 127.0.0.1:{port} ")
    conf = Path(workdir) / "nginx.conf"
    conf.write_text(
        "worker_processes 1;\npid nginx.pid;\nerror_log error.log warn;\n"
        "events { worker_connections 4096; }\n"
        "http {\n  access_log off;\n  client_body_temp_path tmp;\n  proxy_temp_path tmp;\n" + server_block + "\n}\n"
    )
    (Path(workdir) / "tmp").mkdir()
    process = subprocess.Popen(["nginx", "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"])
    for _ in range(50):
        try:
            requests.get(f"http://127.0.0.1:{port}/web/health", timeout=5)
            return process, f"http://127.0.0.1:{port}"
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"nginx did not start; see {workdir}/error.log")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=str(ROOT / ".randevu" / "odoo.bench.conf"))
    parser.add_argument("--db", default="randevu_bench_http")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("nginx"):
        print("nginx is not installed: apt-get install nginx", file=sys.stderr)
        return 2

    ensure_database(args.conf, args.db)
    odoo = OdooServer(args.conf, args.db, args.workers, log_name="bench-connection-burst.log").wait_ready(120)
    workdir = tempfile.mkdtemp(prefix="randevu-nginx-")
    nginx = None
    try:
        nginx, proxied = start_nginx(odoo, workdir)
        results = {}
        for label, base in (("odoo", odoo.url), ("nginx", proxied)):
            requests.get(f"{base}/web/login", timeout=60)  # warm-up: assets, registry
            failed = [burst(f"{base}/web/login", args.clients) for _ in range(args.rounds)]
            results[label] = [round(100 * count / args.clients) for count in failed]
            print(f"  {label:6}: failed requests per round of {args.clients}: {results[label]} %", flush=True)
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait()
        odoo.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "connection_burst.json").write_text(
        json.dumps({"workers": args.workers, "clients": args.clients, "failed_percent": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
