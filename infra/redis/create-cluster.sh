#!/bin/sh
# Joins the six Redis nodes into a cluster (3 masters + 3 replicas) once; a no-op when
# they already are one (volumes kept from an earlier `docker compose up`).
set -eu
NODES="redis-1:6379 redis-2:6379 redis-3:6379 redis-4:6379 redis-5:6379 redis-6:6379"

for node in $NODES; do
  host=${node%:*}
  until redis-cli -h "$host" ping >/dev/null 2>&1; do sleep 0.5; done
done

if redis-cli -h redis-1 cluster info | grep -q '^cluster_state:ok'; then
  echo "redis cluster already formed"
  exit 0
fi

# redis-cli (7.0.5+) resolves the names before CLUSTER MEET.
redis-cli --cluster create $NODES --cluster-replicas 1 --cluster-yes

until redis-cli -h redis-1 cluster info | grep -q '^cluster_state:ok'; do sleep 0.5; done
echo "redis cluster formed"
