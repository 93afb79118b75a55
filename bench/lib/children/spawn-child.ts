import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killOnExit } from '../cleanup.ts';
import type { ReadyMessage } from './child-ipc.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ChildHandle {
  name: string;
  pid: number;
  ready: ReadyMessage;
  /** Asks the child for something it serves (see serveParent), e.g. 'memory'. */
  request<T>(what: string, arg?: unknown, timeoutMs?: number): Promise<T>;
  /** Last lines the child wrote (stdout and stderr), for error messages. */
  output(): string;
  readonly exited: boolean;
  /** Asks it to stop cleanly; kills it after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartChildOptions {
  name: string;
  /** A .ts entry point, run with tsx. */
  script: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Extra node flags; --expose-gc is always on (memory readings collect first). */
  nodeArgs?: string[];
}

const OUTPUT_KEEP = 16 * 1024;

/**
 * Starts a helper process (a service under test, a bare baseline server, a client
 * fleet) with an IPC channel, its open-files limit raised to the hard limit (thousands
 * of sockets), and killed when this process exits. Resolves once it says it is ready.
 */
export async function startChild(options: StartChildOptions): Promise<ChildHandle> {
  // BENCH_CPU_PROF=<dir>: every child writes a V8 CPU profile there when it stops, named
  // CPU.<date>.<time>.<pid>...cpuprofile (progress lines give the pids); open it in Chrome DevTools.
  const profile = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  // BENCH_NODE_ARGS='--heap-prof --heap-prof-dir=/tmp/x' (space-separated): more node flags for every child, for diagnosis.
  const extra = process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  // `exec` keeps the pid and the IPC descriptor: the shell only raises the limit.
  const child = spawn(
    '/bin/sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, '--expose-gc', ...profile, ...(options.nodeArgs ?? []), ...extra, '--import', 'tsx', options.script],
    { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  killOnExit(child);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-OUTPUT_KEEP);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (raw: unknown) => {
    const m = raw as { type?: string; reqId?: number; body?: unknown; error?: string };
    if (m.type !== 'reply' || m.reqId === undefined) return;
    const w = waiting.get(m.reqId);
    waiting.delete(m.reqId);
    if (m.error) w?.reject(new Error(`${options.name}: ${m.error}`));
    else w?.resolve(m.body);
  });
  void exit.then(() => {
    for (const w of waiting.values()) w.reject(new Error(`${options.name} exited:\n${out.slice(-2000)}`));
    waiting.clear();
  });

  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} not ready after ${options.readyTimeoutMs ?? 30_000} ms:\n${out.slice(-2000)}`)), options.readyTimeoutMs ?? 30_000);
    child.on('message', (raw: unknown) => {
      if ((raw as { type?: string }).type === 'ready') {
        clearTimeout(timer);
        resolve(raw as ReadyMessage);
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited before it was ready (code ${child.exitCode}):\n${out.slice(-2000)}`));
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });

  return {
    name: options.name,
    pid: ready.pid,
    ready,
    request<T>(what: string, arg?: unknown, timeoutMs = 60_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`${options.name} has exited:\n${out.slice(-2000)}`));
      const reqId = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(reqId);
          reject(new Error(`${options.name} did not answer "${what}" in ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(reqId, {
          resolve: (v) => (clearTimeout(timer), resolve(v as T)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        child.send({ type: 'request', reqId, what, arg });
      });
    },
    output: () => out,
    get exited() {
      return exited;
    },
    async stop(graceMs = 10_000) {
      if (exited) return;
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
