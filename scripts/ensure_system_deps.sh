#!/bin/sh
# Install what the test suite needs from the system when it is missing: Chromium for browser tests, CJK fonts so
# that screenshots show Chinese, and the PostgreSQL server binaries for the throwaway test cluster.
# Only acts as root with apt-get; otherwise it reports what is missing and the tests decide (CI=true: fail).
missing=""
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing="$missing chromium"
fc-list 2>/dev/null | grep -qi "noto.*cjk" || missing="$missing fonts-noto-cjk"
{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || missing="$missing postgresql"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing:$missing"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
    echo "could not install:$missing" >&2; exit 1; }
else
  echo "missing (install them, or the browser/PostgreSQL runs will fail):$missing" >&2
fi
