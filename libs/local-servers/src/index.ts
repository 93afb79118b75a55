// Start Redis and NATS servers from locally installed binaries, for the dev launcher
// and for integration tests that need private instances.
export { ensureInfra } from './ensure-infra.ts';
export type { EnsureInfraOptions, InfraLog, LocalInfra } from './ensure-infra.ts';
export { findBinary } from './find-binary.ts';
export { freePort } from './free-port.ts';
export { isReachable } from './is-reachable.ts';
export { ServerStartError } from './managed-server.ts';
export type { LocalServer } from './managed-server.ts';
export { startNatsCluster } from './nats-cluster.ts';
export type { LocalNatsCluster, NatsClusterStartOptions } from './nats-cluster.ts';
export { startNatsServer } from './nats-server.ts';
export type { NatsClusterOptions, NatsServerOptions } from './nats-server.ts';
export { startRedisCluster } from './redis-cluster.ts';
export type { LocalRedisCluster, RedisClusterStartOptions } from './redis-cluster.ts';
export { startRedisServer } from './redis-server.ts';
export type { RedisServerOptions } from './redis-server.ts';
export { waitFor } from './wait-for.ts';
export type { WaitForOptions } from './wait-for.ts';
