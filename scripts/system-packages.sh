#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real, and says what it installs:
#   tinyproxy     the proxy tests (a real forward proxy on 127.0.0.1)
#   chromium      the browser row of the runtime matrix (pnpm test:runtimes)
#   redis-server  a real Redis on 127.0.0.1 for the tests that need one
# Runs first in `pnpm test`, so that the README's one test command does all the set-up on a fresh Debian machine.
# As root with apt-get, it installs what is missing (`apt-get update`, then `apt-get install -y
# --no-install-recommends <packages>`) and prints each package it installed with its version. Otherwise it only
# says what is missing and how to install it; the suites that need a missing tool then skip with that reason on a
# developer's machine and fail in CI (CI=true).
set -u
missing=()
command -v tinyproxy >/dev/null 2>&1 || missing+=(tinyproxy)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system packages: installing ${missing[*]} with apt-get install -y --no-install-recommends ${missing[*]}"
  log="$(mktemp)"
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "system packages: apt-get could not install ${missing[*]} (its output is above)" >&2
    exit 1
  fi
  # apt-get's own list of what it added (the requested packages and their dependencies), then the versions.
  sed -n '/^The following NEW packages will be installed:/,/^[0-9]* upgraded/p' "$log"
  rm -f "$log"
  dpkg-query -W -f='system packages: installed ${Package} ${Version}\n' "${missing[@]}" 2>/dev/null
  exit 0
fi
echo "system packages: missing ${missing[*]}; install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
echo "system packages: the tests that need them skip with that reason here, and fail in CI" >&2
exit 0
