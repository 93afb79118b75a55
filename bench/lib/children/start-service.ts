import { fileURLToPath } from 'node:url';
import type { BenchInfra } from '../bench-infra.ts';
import { startChild, type ChildHandle } from './spawn-child.ts';

const SERVICE_CHILD = fileURLToPath(new URL('./service-child.ts', import.meta.url));
const BARE_WS_CHILD = fileURLToPath(new URL('./bare-ws-child.ts', import.meta.url));

export interface ServiceChild extends ChildHandle {
  port: number;
  baseUrl: string;
}

/** The named service modules (gateway, dispatch, alarms) in one child process on the benchmark's namespace. */
export async function startService(infra: BenchInfra, modules: readonly string[], env: Record<string, string> = {}): Promise<ServiceChild> {
  const child = await startChild({
    name: modules.join('+'),
    script: SERVICE_CHILD,
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
