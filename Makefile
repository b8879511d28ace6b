# Randevu: the two commands of the README, plus helpers.
.PHONY: run test setup reset lint bench bench-compare upgrade-check

run:    ## set everything up, create the demo database once, serve on http://localhost:8069
	@scripts/randevu.sh run

test:   ## set everything up, run lint and every test on a throwaway database
	@scripts/randevu.sh test

setup:  ## only PostgreSQL, the Odoo source and .venv
	@scripts/randevu.sh setup

reset:  ## drop the demo database; the next `make run` creates it again
	@scripts/randevu.sh reset

lint:   ## ruff only (fast); `make test` runs it too, with pylint-odoo
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:  ## benchmarks (by hand, never in CI): creates its own database once
	@scripts/randevu.sh bench

upgrade-check:  ## by hand: a database of the code before issue 11 upgrades to this code (minutes)
	@scripts/randevu.sh upgrade-check

bench-compare:  ## by hand: the booking HTTP benchmark, code before issue 11 and this checkout side by side
	@scripts/randevu.sh bench-compare
