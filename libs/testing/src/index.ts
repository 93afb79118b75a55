// What integration tests share: a private namespace on the shared servers, private
// servers for tests that kill or cluster them, polling, and a log sink.
export { collectLogs } from './collect-logs.ts';
export type { LogCollector } from './collect-logs.ts';
export { deleteJetStreamNamespace, deleteRedisNamespace } from './namespace-cleanup.ts';
export { useSharedInfra } from './shared-infra.ts';
export type { SharedInfra } from './shared-infra.ts';
export { testNamespace } from './test-namespace.ts';

// Tests get the private-server starters from here, so they depend on one package.
export {
  freePort,
  startNatsCluster,
  startNatsServer,
  startRedisCluster,
  startRedisServer,
  waitFor,
} from '@nursing/local-servers';
export type {
  LocalNatsCluster,
  LocalRedisCluster,
  LocalServer,
  NatsServerOptions,
  RedisServerOptions,
  WaitForOptions,
} from '@nursing/local-servers';
export { startTestService, testTokens, TEST_JWT_SECRET } from './test-service.ts';
export type { TestService, TestServiceOptions, TestTokens } from './test-service.ts';
export { openTestSocket, handshakeStatus } from './test-socket.ts';
export type { Frame, TestSocket, TestSocketOptions } from './test-socket.ts';
export { startServiceProcess } from './service-process.ts';
export type { ProcessInfra, ServiceProcess } from './service-process.ts';
export { orderBody, qualifiedNurse } from './domain-fixtures.ts';
export { callJson } from './call-json.ts';
