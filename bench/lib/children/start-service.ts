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

/** The bare `ws` server of the memory baseline. */
export async function startBareWsServer(): Promise<ServiceChild> {
  const child = await startChild({ name: 'bare-ws', script: BARE_WS_CHILD });
  const port = Number(child.ready.port);
  return Object.assign(child, { port, baseUrl: `http://127.0.0.1:${port}` });
}
