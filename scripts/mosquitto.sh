#!/bin/sh
# Mosquitto, the single-machine MQTT broker of the fire sensors (linli sensors listen / simulate).
#   scripts/mosquitto.sh install        install it from the system's packages when missing (root with apt-get),
#                                       as ensure_system_deps.sh does for Chromium and PostgreSQL
#   scripts/mosquitto.sh start [PORT]   start a broker on 127.0.0.1:PORT (default 1883) unless one already
#                                       listens there; its files live in $LINLI_VAR_DIR/mosquitto
#   scripts/mosquitto.sh stop           stop the broker `start` started
# Tests start their own private broker on a free port (linli/sensors/tests/conftest.py), calling `install` first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
var=${LINLI_VAR_DIR:-$here/../var}/mosquitto

binary() {
  command -v mosquitto 2>/dev/null || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true
}

install() {
  [ -n "$(binary)" ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: mosquitto"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >/dev/null || {
      echo "could not install: mosquitto" >&2; exit 1; }
  else
    echo "missing: mosquitto (install it: apt-get install mosquitto, or point LINLI_MQTT_URL at a broker)" >&2
    exit 1
  fi
}

listening() {
  python3 - "$1" <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}

start() {
  port=${1:-1883}
  if listening "$port"; then echo "MQTT broker already listening on 127.0.0.1:$port"; return 0; fi
  install
  mkdir -p "$var"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\npid_file %s/mosquitto.pid\nmax_inflight_messages 0\nmax_queued_messages 1000000\nuser %s\n' \
    "$port" "$var" "$var" "$(id -un)" > "$var/mosquitto.conf"
  "$(binary)" -d -c "$var/mosquitto.conf"
  i=0
  until listening "$port"; do
    i=$((i + 1)); [ $i -gt 50 ] && { echo "mosquitto did not start on $port" >&2; exit 1; }
    sleep 0.1
  done
  echo "MQTT broker started on 127.0.0.1:$port"
}

stop() {
  [ -f "$var/mosquitto.pid" ] && kill "$(cat "$var/mosquitto.pid")" 2>/dev/null || true
  rm -f "$var/mosquitto.pid"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:-1883}" ;;
  stop) stop ;;
  *) echo "usage: $0 install | start [PORT] | stop" >&2; exit 2 ;;
esac
