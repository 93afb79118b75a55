import { fileURLToPath } from 'node:url';
import type { BenchInfra } from '../bench-infra.ts';
import { startChild, type ChildHandle } from './spawn-child.ts';

const SERVICE_CHILD = fileURLToPath(new URL('./service-child.ts', import.meta.url));
const BARE_WS_CHILD = fileURLToPath(new URL('./bare-ws-child.ts', import.meta.url));

/**
 * The V8 flags every service process runs with (`npm start` in package.json, the image's
 * NODE_OPTIONS in infra/docker/Dockerfile; README "Runtime flags"), so a service is
 * measured as it runs.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=32'];

export interface ServiceChild extends ChildHandle {
  port: number;
  baseUrl: string;
}

/** The named service modules (gateway, dispatch, alarms) in one child process on the benchmark's namespace. */
export async function startService(infra: BenchInfra, modules: readonly string[], env: Record<string, string> = {}): Promise<ServiceChild> {
  const child = await startChild({
    name: modules.join('+'),
    script: SERVICE_CHILD,
    nodeArgs: SERVICE_NODE_FLAGS,
    env: infra.serviceEnv({ BENCH_MODULES: modules.join(','), ...env }),
  });
  const port = Number(child.ready.port);
  return Object.assign(child, { port, baseUrl: `http://127.0.0.1:${port}` });
}

/** The bare `ws` server of the memory baseline, or (`ack`) of the ingest floor, which runs with a service's flags. */
export async function startBareWsServer(options: { ack?: boolean } = {}): Promise<ServiceChild> {
  const child = await startChild({ name: options.ack ? 'bare-ws-ack' : 'bare-ws', script: BARE_WS_CHILD, nodeArgs: options.ack ? SERVICE_NODE_FLAGS : [], env: options.ack ? { BARE_WS_ACK: '1' } : {} });
  const port = Number(child.ready.port);
  return Object.assign(child, { port, baseUrl: `http://127.0.0.1:${port}` });
}
