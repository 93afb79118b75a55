import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@nursing/testing';
import { TEST_JWT_SECRET, type DispatchTestApp } from './harness.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface DispatchProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Another dispatch instance as a real process (its own server.ts), on the test's namespace. */
export async function startDispatchProcess(t: DispatchTestApp, env: Record<string, string> = {}): Promise<DispatchProcess> {
  const port = await freePort();
  let out = '';
  // node itself runs the server (tsx as a loader), so kill -9 hits the server, not a
  // wrapper that would leave it running as an orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NAMESPACE: t.ns,
      REDIS_URL: t.redisUrl,
      NATS_URL: t.natsUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(port),
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => out.includes('dispatch listening') || child.exitCode !== null, { timeoutMs: 20_000, message: 'dispatch process listening' });
  if (child.exitCode !== null) throw new Error(`dispatch process exited: ${out}`);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
