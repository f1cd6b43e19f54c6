#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real: tinyproxy (the proxy tests) and chromium (the
# browser row of the runtime matrix). Runs before `pnpm test`, so that the README's one test command does all the
# set-up on a fresh Debian machine. Without root or apt-get it only says what is missing; the tests then say which
# checks could not run (and fail in CI).
set -u
missing=()
command -v tinyproxy >/dev/null 2>&1 || missing+=(tinyproxy)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system packages: installing ${missing[*]} with apt-get"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit $?
fi
echo "system packages: missing ${missing[*]} (apt-get install ${missing[*]}); the tests that need them will say so" >&2
exit 0
