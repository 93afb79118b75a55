#!/bin/sh
# Joins the six Redis nodes into a cluster (3 masters + 3 replicas) once. When they already
# are one (volumes kept from an earlier `docker compose up`), it only re-introduces them to
# each other: nodes.conf holds the container IPs of the last run, and `down`/`up` (a new
# network) or another start order gives them new ones, while the cluster bus knows peers
# by IP only. Until then every node sees the others as down and the cluster is broken.
set -eu
NODES="redis-1:6379 redis-2:6379 redis-3:6379 redis-4:6379 redis-5:6379 redis-6:6379"

for node in $NODES; do
  host=${node%:*}
  until redis-cli -h "$host" ping >/dev/null 2>&1; do sleep 0.5; done
done

# Every node serves all slots and is linked to all six (itself included), none failed.
# A restarted node reports cluster_state:ok from its saved config before it has noticed
# that its peers moved, hence the links.
healthy() {
  for node in $NODES; do
    redis-cli -h "${node%:*}" cluster info | grep -q '^cluster_state:ok' || return 1
    [ "$(redis-cli -h "${node%:*}" cluster nodes | grep -v fail | grep -c ' connected')" -eq 6 ] || return 1
  done
}

# Fails the job (and so `up`) instead of starting the services against a broken cluster.
wait_healthy() {
  tries=0
  until healthy; do
    tries=$((tries + 1))
    if [ "$tries" -gt 120 ]; then
      echo "redis cluster not healthy after 60 s:" >&2
      redis-cli -h redis-1 cluster nodes >&2
      exit 1
    fi
    sleep 0.5
  done
}

if redis-cli -h redis-1 cluster info | grep -q '^cluster_known_nodes:6'; then
  # CLUSTER MEET takes IPs only. A node that already knows the id it meets updates its
  # address from the handshake (and repoints its replication if that is its master).
  for a in $NODES; do
    for b in $NODES; do
      [ "$a" = "$b" ] || redis-cli -h "${a%:*}" cluster meet "$(getent hosts "${b%:*}" | cut -d' ' -f1)" "${b#*:}" >/dev/null
    done
  done
  wait_healthy
  echo "redis cluster already formed; node addresses refreshed"
  exit 0
fi

# redis-cli (7.0.5+) resolves the names before CLUSTER MEET.
redis-cli --cluster create $NODES --cluster-replicas 1 --cluster-yes
wait_healthy
echo "redis cluster formed"
