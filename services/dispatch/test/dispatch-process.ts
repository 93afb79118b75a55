import { fileURLToPath } from 'node:url';
import { startServiceProcess, type ServiceProcess } from '@nursing/testing';
import { TEST_JWT_SECRET, type DispatchTestApp } from './harness.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

export type DispatchProcess = ServiceProcess;

/** Another dispatch instance as a real process (its own server.ts), on the test's namespace. */
export function startDispatchProcess(t: DispatchTestApp, env: Record<string, string> = {}): Promise<DispatchProcess> {
  return startServiceProcess('dispatch', SERVER, { ns: t.ns, redisUrl: t.redisUrl, natsUrl: t.natsUrl, jwtSecret: TEST_JWT_SECRET }, env);
}
