#!/usr/bin/env bash
# Installs the django-oauth-toolkit test provider's Python packages (requirements.txt, from PyPI)
# into dev/django/.venv, with a migrated empty database, idempotently: when the venv's stamp
# matches requirements.txt it returns at once and prints nothing. Any change to the pins rebuilds the venv from scratch, so no package of
# an older pin lingers. About 15-30 s cold.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$dir/.venv"
stamp="$venv/.requirements.sha256"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

want=$(sha256sum "$dir/requirements.txt" | cut -d' ' -f1)
up_to_date() { [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; }
up_to_date && exit 0

# The tests and the lead's set-up may both call this at once; one installs, the other waits.
exec 9>"$dir/.setup.lock"
flock 9
up_to_date && exit 0

python=${PYTHON:-python3}
# Django 5.2 needs Python 3.10 or later; Debian's python3 has venv only with python3-venv.
if ! "$python" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  if [ "$python" = python3 ] && command -v apt-get >/dev/null; then
    say "installing Debian's python3-venv"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  "$python" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 10))' || {
    echo "dev/django/setup.sh: $python must be Python 3.10 or later with the venv module" >&2
    exit 1
  }
fi

say "installing django-oauth-toolkit and Django into dev/django/.venv (about 30 s)"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  -r "$dir/requirements.txt"
# A migrated empty database for runprovider to copy: migrating from nothing takes about 3 s, a
# copy milliseconds. It lives in the venv because the installed packages decide its schema.
(cd "$dir" && DJANGO_PROVIDER_DB="$venv/template.sqlite3" "$venv/bin/python" manage.py migrate -v0)
echo "$want" >"$stamp"
