#!/usr/bin/env bash
# Randevu developer entry point: `make run` and `make test` call this script.
#
#   scripts/randevu.sh run     set everything up, create the demo database once, serve on :8069
#   scripts/randevu.sh test    set everything up, run lint + every test on a throwaway database
#   scripts/randevu.sh setup   only the setup part (PostgreSQL, Odoo source, .venv, local config)
#   scripts/randevu.sh bench   setup, then the benchmarks of bench/ on their own databases
#   scripts/randevu.sh upgrade-check   a database of the code before issue 11 upgrades to this one
#
# Settings (environment variables, all optional):
#   ODOO_SRC         an Odoo 18.0 checkout (default: ~/.cache/randevu/odoo-18.0, cloned if missing)
#   PGHOST, PGPORT, PGUSER, PGPASSWORD   an existing PostgreSQL server to use instead of a local one
#   RANDEVU_DB       database of `run` (default: randevu)
#   RANDEVU_PORT     HTTP port of `run` (default: 8069)
#   RANDEVU_OUTBOX_PORT  the demo outbox's page and SMS API of `run` (default: RANDEVU_PORT + 1000;
#                    its SMTP server listens on the next port)
#   PYTHON           interpreter for .venv (default: python3.11, else python3)
#   KEEP_TEST_DB=1   keep the throwaway test database for inspection
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.randevu"
VENV="$ROOT/.venv"
DEFAULT_ODOO_SRC="$HOME/.cache/randevu/odoo-18.0"
ODOO_GIT_URL="https://github.com/odoo/odoo.git"
LOCAL_ROLE="randevu"
LOCAL_ROLE_PASSWORD="randevu"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
    # $1: what went wrong, $2: how to fix it
    printf '\n\033[31mERROR: %s\033[0m\n' "$1" >&2
    [ -n "${2:-}" ] && printf 'Fix: %s\n' "$2" >&2
    exit 1
}

as_postgres() {
    # Run a command as the postgres OS user (cluster owner).
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    elif command -v sudo >/dev/null && sudo -n -u postgres true 2>/dev/null; then
        sudo -n -u postgres "$@"
    else
        return 1
    fi
}

# --------------------------------------------------------------------------- PostgreSQL
ensure_postgres() {
    step "PostgreSQL"
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
        info "PG* variables are set: using host=${PGHOST:-<socket>} port=${PGPORT:-5432} user=${PGUSER:-$USER}"
        command -v psql >/dev/null || die "psql is not installed." "apt-get install postgresql-client"
        psql -d postgres -Atc 'select 1' >/dev/null 2>&1 \
            || die "cannot connect to PostgreSQL with the PG* variables (host=${PGHOST:-} port=${PGPORT:-} user=${PGUSER:-})." \
                   "check the server is up and the role may log in and create databases, or unset PGHOST/PGPORT/PGUSER to use a local cluster."
        DB_HOST="${PGHOST:-}"; DB_PORT="${PGPORT:-5432}"; DB_USER="${PGUSER:-$USER}"; DB_PASSWORD="${PGPASSWORD:-}"
        return
    fi

    if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            info "no PostgreSQL cluster found: installing Debian's postgresql (about a minute)"
            apt_install postgresql \
                || die "apt-get install postgresql failed." "$(apt_fix_hint) Or install PostgreSQL (>= 13) yourself, or point PGHOST/PGPORT/PGUSER/PGPASSWORD at a server."
        else
            die "no PostgreSQL server found and not root, so it cannot be installed." \
                "sudo apt-get install postgresql, or set PGHOST/PGPORT/PGUSER/PGPASSWORD to a server where that role can create databases."
        fi
    fi

    # The first cluster listed (usually the newest "main").
    read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters -h | head -n 1)
    if [ "$PG_STATUS" != "online" ]; then
        info "starting cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
        if [ "$(id -u)" = 0 ]; then
            pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
        else
            as_postgres pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start \
                || die "cluster $PG_VERSION/$PG_CLUSTER is down and this user may not start it." \
                       "sudo pg_ctlcluster $PG_VERSION $PG_CLUSTER start"
        fi
    else
        info "cluster $PG_VERSION/$PG_CLUSTER is up on port $PG_PORT"
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h localhost -p "$PG_PORT" && break
        sleep 1
    done
    pg_isready -q -h localhost -p "$PG_PORT" \
        || die "PostgreSQL does not answer on localhost:$PG_PORT." "see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"

    DB_HOST="localhost"; DB_PORT="$PG_PORT"; DB_USER="$LOCAL_ROLE"; DB_PASSWORD="$LOCAL_ROLE_PASSWORD"
    if ! PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        info "creating PostgreSQL role '$LOCAL_ROLE' (LOGIN CREATEDB, password '$LOCAL_ROLE_PASSWORD', local use only)"
        as_postgres psql -p "$PG_PORT" -q -v ON_ERROR_STOP=1 -c "DO \$\$BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$LOCAL_ROLE') THEN
                CREATE ROLE $LOCAL_ROLE LOGIN CREATEDB PASSWORD '$LOCAL_ROLE_PASSWORD';
            ELSE
                ALTER ROLE $LOCAL_ROLE LOGIN CREATEDB PASSWORD '$LOCAL_ROLE_PASSWORD';
            END IF; END\$\$;" \
            || die "cannot create the PostgreSQL role '$LOCAL_ROLE'." \
                   "run: sudo -u postgres createuser --createdb --pwprompt $LOCAL_ROLE (password: $LOCAL_ROLE_PASSWORD)"
    fi
}

# --------------------------------------------------------------------------- apt-get
# A freshly booted Debian machine often runs apt-get (unattended upgrades) and holds
# dpkg's lock: wait for it rather than fail at once.
APT_LOCK_WAIT=300
APT_LOG="$STATE/apt.log"

apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=$APT_LOCK_WAIT -y -q "$@" >>"$APT_LOG" 2>&1
}

apt_install() {
    # $@: Debian packages; tries the package lists as they are, then refreshed.
    info "(waits up to ${APT_LOCK_WAIT}s for another apt-get or dpkg to finish; log: $APT_LOG)"
    mkdir -p "$(dirname "$APT_LOG")" && : >"$APT_LOG"  # this attempt's log only: apt_fix_hint reads it
    apt_get install "$@" || { apt_get update && apt_get install "$@"; }
}

apt_fix_hint() {
    # What to do when apt-get failed, from its log.
    if grep -q 'dpkg was interrupted' "$APT_LOG" 2>/dev/null; then
        echo "an earlier install was interrupted: run 'dpkg --configure -a' as root, then try again."
    elif grep -q 'Could not get lock' "$APT_LOG" 2>/dev/null; then
        echo "another apt-get or dpkg held Debian's lock for more than ${APT_LOCK_WAIT}s: wait for it to finish (ps aux | grep -e apt -e dpkg), then try again."
    else
        echo "see $APT_LOG."
    fi
}

pg() { PGPASSWORD="$DB_PASSWORD" psql ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -U "$DB_USER" "$@"; }

# --------------------------------------------------------------------------- Odoo source
ensure_odoo() {
    step "Odoo 18.0 source"
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo/release.py" ] \
            || die "ODOO_SRC=$ODOO_SRC is not an Odoo checkout (odoo/release.py missing)." \
                   "point ODOO_SRC at an Odoo 18.0 checkout, or unset it to use $DEFAULT_ODOO_SRC."
    else
        ODOO_SRC="$DEFAULT_ODOO_SRC"
        if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
            info "not found at $ODOO_SRC: cloning Odoo 18.0 (shallow, about 500 MB)"
            command -v git >/dev/null || die "git is not installed." "apt-get install git"
            mkdir -p "$(dirname "$ODOO_SRC")"
            git clone --depth 1 -b 18.0 --progress "$ODOO_GIT_URL" "$ODOO_SRC.partial" \
                || { rm -rf "$ODOO_SRC.partial"
                     die "Odoo 18.0 is not at $ODOO_SRC and cloning $ODOO_GIT_URL failed (offline?)." \
                         "either put an Odoo 18.0 checkout at $ODOO_SRC, or set ODOO_SRC=/path/to/odoo-18.0."; }
            rm -rf "$ODOO_SRC" && mv "$ODOO_SRC.partial" "$ODOO_SRC"
        fi
    fi
    local version
    version=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\).*/\1.\2/p" "$ODOO_SRC/odoo/release.py")
    [ "$version" = "18.0" ] || die "$ODOO_SRC holds Odoo $version, Randevu needs 18.0." "set ODOO_SRC to an Odoo 18.0 checkout."
    info "Odoo $version at $ODOO_SRC"
    export ODOO_SRC
}

# --------------------------------------------------------------------------- Python venv
pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    for candidate in python3.11 python3.12 python3.10 python3; do
        command -v "$candidate" >/dev/null && { echo "$candidate"; return; }
    done
    die "no Python 3 found." "apt-get install python3 python3-venv python3-dev"
}

ensure_venv() {
    step "Python environment (.venv)"
    local python stamp want
    python=$(pick_python)
    if [ ! -x "$VENV/bin/python" ]; then
        info "creating .venv with $($python --version 2>&1)"
        "$python" -m venv "$VENV" \
            || die "cannot create a virtual environment with $python." "apt-get install python3-venv (or set PYTHON=/path/to/python3.11)"
    fi
    mkdir -p "$STATE"
    # python-ldap needs libldap headers and only serves LDAP login: left out (README).
    grep -v -i '^python-ldap' "$ODOO_SRC/requirements.txt" > "$STATE/odoo-requirements.txt"
    want=$(cat "$STATE/odoo-requirements.txt" "$ROOT/requirements.txt" "$ROOT/requirements-oca.txt" \
        "$ROOT/scripts/constraints.txt" | sha256sum | cut -c1-16)
    stamp="$VENV/.randevu-requirements"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        local log="$STATE/pip.log"
        info "installing Odoo's and Randevu's requirements (about a minute on a fresh machine; log: .randevu/pip.log)"
        # PIP_CONSTRAINT also reaches pip's isolated build environments (cbor2 needs setuptools<70).
        # pip's output is shown only when it fails.
        if ! PIP_CONSTRAINT="$ROOT/scripts/constraints.txt" PIP_DISABLE_PIP_VERSION_CHECK=1 \
            "$VENV/bin/pip" install --progress-bar off \
            -r "$STATE/odoo-requirements.txt" -r "$ROOT/requirements.txt" >"$log" 2>&1; then
            grep -v -e 'is ignored: it is neither' -e '^Requirement already satisfied' "$log" | tail -n 60 >&2
            die "pip could not install the requirements (its output is above; all of it in $log)." \
                "install the build headers (apt-get install python3-dev libpq-dev build-essential) and run again."
        fi
        # The OCA addons: --no-deps, as their wheels require the distribution `odoo`, which
        # is a source checkout here (see requirements-oca.txt; their own needs are listed).
        if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install --progress-bar off --no-deps \
            -r "$ROOT/requirements-oca.txt" >>"$log" 2>&1; then
            tail -n 30 "$log" >&2
            die "pip could not install the OCA addons of requirements-oca.txt (all of pip's output in $log)." \
                "check that the pinned versions exist on PyPI (pip index versions odoo-addon-<name>) and run again."
        fi
        info "requirements installed"
        echo "$want" > "$stamp"
    else
        info "requirements up to date"
    fi
    # Make `import odoo` work inside .venv (pytest, scripts) without installing Odoo into it.
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_SRC" > "$site/randevu-odoo-src.pth"
}

# --------------------------------------------------------------------------- Chromium
find_chrome() {
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$candidate" >/dev/null && { command -v "$candidate"; return 0; }
    done
    return 1
}

ensure_chromium() {
    # Only when some test drives a browser (Odoo tours).
    grep -rqs --include='*.py' -e 'start_tour(' -e 'browser_js(' "$ROOT/addons" "$ROOT/tests" || return 0
    step "Chromium (browser tours)"
    if find_chrome >/dev/null; then
        info "$(find_chrome)"
        return
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        info "installing Debian's chromium (a minute or two)"
        apt_install chromium \
            || die "apt-get install chromium failed; browser tours cannot run." "$(apt_fix_hint) Or: sudo apt-get install chromium"
    else
        die "Chromium is missing and browser tours need it." "sudo apt-get install chromium"
    fi
}

# --------------------------------------------------------------------------- config + addons
write_local_conf() {
    # $1: output file, remaining: key=value overrides
    local out=$1; shift
    "$VENV/bin/python" "$ROOT/scripts/local_conf.py" --base "$ROOT/odoo.conf" --out "$out" \
        --set "addons_path=$(addons_path)" "data_dir=$STATE/filestore" \
        "db_host=${DB_HOST:-False}" "db_port=$DB_PORT" "db_user=$DB_USER" "db_password=${DB_PASSWORD:-False}" \
        "$@"
}

addons_path() {
    local paths="$ODOO_SRC/odoo/addons"
    # Upstream git checkouts keep most addons in addons/; the packaged nightly has them all in odoo/addons.
    [ -d "$ODOO_SRC/addons/web" ] && paths="$ODOO_SRC/addons,$paths"
    local oca
    oca="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons"
    [ -d "$oca" ] && paths="$paths,$oca"
    [ -n "$(our_addons)" ] && paths="$paths,$ROOT/addons"
    echo "$paths"
}

our_addons() {
    # Every addon under addons/, comma-separated (empty while there is none).
    local names=()
    for manifest in "$ROOT"/addons/*/__manifest__.py; do
        [ -f "$manifest" ] && names+=("$(basename "$(dirname "$manifest")")")
    done
    (IFS=,; echo "${names[*]:-}")
}

addons_digest() {
    # One hash of every file under addons/ (code, views, data): tells make run the code changed.
    (cd "$ROOT" && find addons -type f -not -path '*/__pycache__/*' -not -name '*.pyc' -print0 \
        | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"; }

setup_all() {
    ensure_postgres
    ensure_odoo
    ensure_venv
}

# --------------------------------------------------------------------------- commands
cmd_run() {
    setup_all
    local db="${RANDEVU_DB:-randevu}" port="${RANDEVU_PORT:-8069}" conf="$STATE/odoo.local.conf"
    # The demo outbox (scripts/demo_outbox.py) catches every email (SMTP) and SMS (Odoo's SMS API).
    local outbox_port="${RANDEVU_OUTBOX_PORT:-$((port + 1000))}"
    local smtp_port=$((outbox_port + 1))
    local addons
    addons=$(our_addons)
    write_local_conf "$conf" "http_port=$port" "db_name=$db" "dbfilter=" "list_db=False" "proxy_mode=False" \
        "workers=0" "max_cron_threads=1" "without_demo=False" "admin_passwd=admin" "log_handler=:INFO,werkzeug:WARNING" \
        "smtp_server=127.0.0.1" "smtp_port=$smtp_port" "smtp_ssl=False"

    # Odoo's demo payment provider next to randevu_account, so that the demo's services with
    # a deposit are offered and paid with its fake form: randevu_account's demo data puts it
    # in test mode, published, in each demo branch (payment_demo loads first, as a dependency
    # of `payment` only). Never installed in production: only by `make run`.
    local demo_apps=""
    [[ ",$addons," == *",randevu_account,"* ]] && demo_apps="payment_demo"
    addons="${addons:-base}${demo_apps:+,$demo_apps}"

    step "Database '$db'"
    if [ "$(pg -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
        info "creating it with $addons and demo data (a few minutes the first time)"
        odoo_bin -c "$conf" -d "$db" -i "$addons" --stop-after-init --log-level=warn \
            --log-handler=odoo.modules.loading:DEBUG 2>&1 \
            | "$VENV/bin/python" "$ROOT/scripts/progress.py" \
            || { pg -d postgres -qc "DROP DATABASE IF EXISTS \"$db\"" || true
                 die "creating the database failed (see the log above); it was dropped so that the next run starts clean." \
                     "fix the error shown, then run make run again."; }
        # Demo admin password: "admin" (Odoo's demo default is set by the install above).
        # Odoo's daily vacuum would first run on the server's first minute, while the pages'
        # asset bundles are built: its filestore sweep can remove the file of a bundle another
        # request is still serving (a FileNotFoundError in the log). First run in an hour.
        pg -d "$db" -qc "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 hour'
                         WHERE id = (SELECT res_id FROM ir_model_data
                                     WHERE module = 'base' AND name = 'autovacuum_job')" \
            || die "cannot schedule the demo database's vacuum." "run make reset, then make run."
        addons_digest > "$STATE/run-$db.addons"
    else
        local missing=""
        IFS=, read -r -a wanted <<< "$addons"
        for addon in "${wanted[@]}"; do
            [ -z "$addon" ] && continue
            [ "$(pg -d "$db" -Atc "SELECT state FROM ir_module_module WHERE name = '$addon'")" = "installed" ] \
                || missing="${missing:+$missing,}$addon"
        done
        if [ -n "$missing" ]; then
            info "installing addons added since it was created: $missing"
            odoo_bin -c "$conf" -d "$db" -i "$missing" --stop-after-init --log-level=warn \
                --log-handler=odoo.modules.loading:DEBUG 2>&1 | "$VENV/bin/python" "$ROOT/scripts/progress.py" \
                || die "installing $missing failed (see above)." "fix the error, then run make run again."
            if [[ ",$missing," == *",payment_demo,"* ]]; then
                # The demo data that sets it up ran before it was there: do it now.
                info "setting up the demo payment provider in the demo branches"
                printf '%s\n' \
                    "branches = [env.ref(x, raise_if_not_found=False) for x in ('randevu_calendar.randevu_branch_kadikoy', 'randevu_calendar.randevu_branch_paris')]" \
                    "env['res.company']._randevu_setup_demo_payment_provider([b.id for b in branches if b])" \
                    "env.cr.commit()" \
                    | odoo_bin shell -c "$conf" -d "$db" --no-http --log-level=warn >/dev/null \
                    || die "setting up the demo payment provider failed (see above)." "run make reset, then make run."
            fi
        elif [ "$(cat "$STATE/run-$db.addons" 2>/dev/null)" != "$(addons_digest)" ]; then
            # New code (a pull, a branch): its models, views and data reach the database.
            info "the addons changed since the last run: upgrading $(our_addons) (data kept; a minute)"
            odoo_bin -c "$conf" -d "$db" -u "$(our_addons)" --stop-after-init --log-level=warn \
                --log-handler=odoo.modules.loading:DEBUG 2>&1 | "$VENV/bin/python" "$ROOT/scripts/progress.py" \
                || die "upgrading the addons failed (see above)." "fix the error, or start over with make reset."
            addons_digest > "$STATE/run-$db.addons"
        else
            info "exists with every addon installed and up to date; data kept (drop it with: make reset)"
        fi
    fi

    step "Demo outbox on http://localhost:$outbox_port (emails and SMS are caught there, never sent)"
    # SMS go to the outbox's copy of Odoo's SMS API instead of Odoo's IAP service.
    pg -d "$db" -qc "INSERT INTO ir_config_parameter (key, value, create_date, write_date)
                     VALUES ('sms.endpoint', 'http://127.0.0.1:$outbox_port', now(), now())
                     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = now()" \
        || die "cannot point the database's SMS at the demo outbox." "run make reset, then make run."
    "$VENV/bin/python" "$ROOT/scripts/demo_outbox.py" --dir "$STATE/outbox/$db" \
        --smtp-port "$smtp_port" --http-port "$outbox_port" &
    local outbox_pid=$!
    # The demo's WhatsApp accounts (randevu_inbox) send to a local fake of Meta's Graph API
    # (the tests' own, http://127.0.0.1:8765, the URL the demo data gives them): never to Meta.
    local graph_pid=""
    if [ -f "$ROOT/addons/randevu_inbox/tests/fake_graph.py" ] \
        && [ "$(pg -d "$db" -Atc "SELECT state FROM ir_module_module WHERE name = 'randevu_inbox'")" = "installed" ]; then
        "$VENV/bin/python" "$ROOT/addons/randevu_inbox/tests/fake_graph.py" 8765 >/dev/null &
        graph_pid=$!
    fi

    step "Randevu is starting on http://localhost:$port (server log follows; the logins once it is ready)"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$db" &
    local odoo_pid=$!
    # Background jobs of a script ignore Ctrl+C: stop both when the script ends.
    trap 'kill '"$odoo_pid $outbox_pid $graph_pid"' 2>/dev/null; wait 2>/dev/null' EXIT
    trap 'exit 130' INT TERM
    # Waits for the server, loads the pages' assets once (the first login would otherwise
    # wait for them, a minute), then prints the logins and what to try first.
    "$VENV/bin/python" "$ROOT/scripts/demo_logins.py" --db "$db" --conf "$conf" --warm-up \
        --outbox "http://localhost:$outbox_port" --outbox-dir "$STATE/outbox/$db" || true
    wait "$odoo_pid"
}

cmd_test() {
    setup_all
    ensure_chromium
    local db="randevu_test_$(date +%Y%m%d_%H%M%S)_$$" conf="$STATE/odoo.test.conf"
    write_local_conf "$conf" "db_name=$db" "dbfilter=" "list_db=False" "proxy_mode=False" "workers=0" \
        "max_cron_threads=0" "without_demo=False" "admin_passwd=admin" "log_handler=:INFO,werkzeug:WARNING"
    if [ "${KEEP_TEST_DB:-0}" != 1 ]; then
        trap 'pg -d postgres -qc "DROP DATABASE IF EXISTS \"'"$db"'\"" >/dev/null 2>&1 || true' EXIT
    fi
    step "Tests on throwaway database '$db'"
    RANDEVU_ROOT="$ROOT" RANDEVU_TEST_DB="$db" RANDEVU_ODOO_CONF="$conf" RANDEVU_ADDONS="$(our_addons)" \
        "$VENV/bin/python" "$ROOT/scripts/run_tests.py"
}

cmd_reset() {
    ensure_postgres
    local db="${RANDEVU_DB:-randevu}"
    step "Dropping database '$db' and its filestore"
    pg -d postgres -qc "DROP DATABASE IF EXISTS \"$db\""
    rm -rf "$STATE/filestore/filestore/$db"
    info "done; make run creates it again"
}

cmd_bench_compare() {
    setup_all
    local conf="$STATE/odoo.bench.conf"
    write_local_conf "$conf" "db_name=False" "workers=0" "max_cron_threads=0" "without_demo=all" "log_handler=:WARNING"
    step "Benchmark: booking over HTTP, the code before issue 11 and this checkout side by side (bench/compare.py)"
    "$VENV/bin/python" "$ROOT/bench/compare.py" --conf "$conf" "$@"
}

cmd_upgrade_check() {
    setup_all
    local conf="$STATE/odoo.upgrade.conf"
    write_local_conf "$conf" "db_name=False" "workers=0" "max_cron_threads=0" "log_handler=:WARNING"
    step "Upgrade check: a database of the code before issue 11, upgraded with this checkout (a few minutes)"
    "$VENV/bin/python" "$ROOT/scripts/upgrade_check.py" --conf "$conf" "$@"
}

cmd_bench() {
    setup_all
    local conf="$STATE/odoo.bench.conf"
    write_local_conf "$conf" "db_name=False" "workers=0" "max_cron_threads=0" "without_demo=all" "log_handler=:WARNING"
    step "Benchmark: availability engine (bench/find_slots.py)"
    "$VENV/bin/python" "$ROOT/bench/find_slots.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}" "$@"
    step "Benchmark: reminder cron, 10,000 due reminders (bench/reminders.py)"
    "$VENV/bin/python" "$ROOT/bench/reminders.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_reminders"
    step "Benchmark: booking over HTTP, 2 workers, 20 clients (bench/booking_http.py)"
    "$VENV/bin/python" "$ROOT/bench/booking_http.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_http"
    step "Benchmark: a month of commissions, 20 staff, 10,000 POS lines (bench/commissions.py)"
    "$VENV/bin/python" "$ROOT/bench/commissions.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_commissions"
    step "Benchmark: a day at the till, 1,000 orders synced then the session closed (bench/pos_closing.py)"
    "$VENV/bin/python" "$ROOT/bench/pos_closing.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_pos_closing"
    step "Benchmark: 1,000 appointments done in one batch, their consumables written off (bench/inventory_done.py)"
    "$VENV/bin/python" "$ROOT/bench/inventory_done.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_inventory"
    step "Benchmark: segment counts over 50,000 customers (bench/segment_count.py)"
    "$VENV/bin/python" "$ROOT/bench/segment_count.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_segments"
    step "Benchmark: a campaign to 50,000 customers queued by email and SMS (bench/campaign_queue.py)"
    "$VENV/bin/python" "$ROOT/bench/campaign_queue.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_campaign"
    step "Benchmark: 1,000 inbound WhatsApp messages through the inbox and its assistant (bench/inbox_messages.py)"
    "$VENV/bin/python" "$ROOT/bench/inbox_messages.py" --conf "$conf" --db "${RANDEVU_BENCH_DB:-randevu_bench}_inbox"
}

# Sourced (tests/test_setup_script.py reads its functions): define them only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        run) cmd_run ;;
        bench) shift; cmd_bench "$@" ;;
        upgrade-check) shift; cmd_upgrade_check "$@" ;;
        bench-compare) shift; cmd_bench_compare "$@" ;;
        test) cmd_test ;;
        setup) setup_all ;;
        reset) cmd_reset ;;
        *) echo "usage: $0 run|test|setup|reset|bench|bench-compare|upgrade-check" >&2; exit 2 ;;
    esac
fi
