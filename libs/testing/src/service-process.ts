import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@nursing/local-servers';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceProcess {
  name: string;
  port: number;
  baseUrl: string;
  wsUrl: string;
  child: ChildProcess;
  /** Resolves when the process has exited, however. */
  exited: Promise<void>;
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Where a service process finds Redis and NATS, and in which namespace. */
export interface ProcessInfra {
  ns: string;
  redisUrl: string;
  natsUrl: string;
  jwtSecret: string;
}

/**
 * A service as a real process (tsx running its entry file), so a test can kill -9 it.
 * Resolves once it logged `<name> listening`.
 */
export async function startServiceProcess(name: string, entry: string, infra: ProcessInfra, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  let out = '';
  // node with tsx's loader, one process: the `tsx` CLI would run the service in a child
  // process of its own, which a SIGKILL to the CLI leaves running as an orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      NAMESPACE: infra.ns,
      REDIS_URL: infra.redisUrl,
      NATS_URL: infra.natsUrl,
      JWT_SECRET: infra.jwtSecret,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => out.includes(`${name} listening`) || child.exitCode !== null || child.signalCode !== null, {
    timeoutMs: 30_000,
    message: `${name} process listening`,
  });
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} process exited during start: ${out}`);
  return {
    name,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    exited,
    output: () => out,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
