#!/usr/bin/env bash
# Makes sure redis-server and nats-server (with JetStream) are installed and running on
# their default loopback ports, as CI and a fresh Debian/Ubuntu machine need (and that
# nginx is installed for the entry point's routing test; it is not started here).
# Integration tests use these shared servers; tests that stop or cluster servers start
# their own from the same binaries.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need=()
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need+=(redis-server)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
# nginx only runs in infra/test/entry-routing.test.ts (the entry point's routing rules).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian packages"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! up 6379; then
  echo "starting redis-server on 127.0.0.1:6379"
  mkdir -p /tmp/ci-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/ci-redis --logfile /tmp/ci-redis/redis.log
fi
if ! up 4222; then
  echo "starting nats-server (JetStream) on 127.0.0.1:4222"
  mkdir -p /tmp/ci-nats
  NATS_BIN=$(command -v nats-server || echo /usr/sbin/nats-server)
  nohup "$NATS_BIN" -a 127.0.0.1 -p 4222 -js -sd /tmp/ci-nats -l /tmp/ci-nats/nats.log >/dev/null 2>&1 &
fi

for i in $(seq 1 50); do
  if up 6379 && up 4222; then echo "redis and nats are up"; exit 0; fi
  sleep 0.2
done
echo "redis or nats did not come up" >&2
exit 1
