import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { killOnExit, removeOnExit } from './exit-cleanup.ts';
import { readTail } from './read-tail.ts';
import { removeTempDir } from './temp-dir.ts';

/** A server process started from a local binary; restartable on the same port and data. */
export interface LocalServer {
  /** Client URL, e.g. redis://127.0.0.1:6390. */
  readonly url: string;
  readonly port: number;
  /** Pid of the current process (changes on restart). */
  readonly pid: number;
  /** The current child process (changes on restart). */
  readonly process: ChildProcess;
  /** Where the server keeps its data and its log file. */
  readonly dataDir: string;
  /** The server's stdout and stderr, appended across restarts. */
  readonly logFile: string;
  /** Sends `signal` (default SIGTERM), SIGKILL after a timeout; removes a temp data dir. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Kills the process with SIGKILL, keeping its data for restart(). */
  kill9(): Promise<void>;
  /** Stops the process if running and starts it again on the same port and data dir. */
  restart(): Promise<void>;
}

/** What {@link startManagedServer} needs to know about one kind of server. */
export interface ManagedServerSpec {
  /** Name used in messages, e.g. "redis-server". */
  label: string;
  binary: string;
  args: readonly string[];
  url: string;
  port: number;
  dataDir: string;
  /** True when dataDir is ours (a temp dir) and goes away on stop(). */
  ownsDataDir: boolean;
  logFile: string;
  /** One readiness probe of the given child; must not throw for "not yet". */
  isReady(child: ChildProcess): Promise<boolean>;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
}

/** Startup failure carrying the server's own output, which says why. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    /** Tail of the server's output during this start attempt. */
    readonly output: string,
  ) {
    super(output ? `${message}\n--- last output ---\n${output.trimEnd()}` : message);
    this.name = 'ServerStartError';
  }

  /** Whether the server failed because its port was taken in the meantime. */
  get portInUse(): boolean {
    return /address already in use/i.test(this.output);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (hasExited(child)) return;
  child.kill(signal);
  if (await waitForExit(child, timeoutMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 5000);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function launch(spec: ManagedServerSpec): Promise<ChildProcess> {
  mkdirSync(spec.dataDir, { recursive: true });
  // restart() after stop() recreates a temp dir, which must be cleaned up again.
  if (spec.ownsDataDir) removeOnExit(spec.dataDir);
  const logStart = fileSize(spec.logFile);
  // The server writes straight into the log file, so its output never reaches our
  // stdout and no pipe has to be drained.
  const logFd = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    writeSync(logFd, `--- ${new Date().toISOString()} starting ${spec.binary} ${spec.args.join(' ')}\n`);
    child = spawn(spec.binary, spec.args, { cwd: spec.dataDir, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  killOnExit(child);
  // A server left running by mistake must not keep the process alive; the exit hook kills it.
  child.unref();

  const deadline = Date.now() + spec.readyTimeoutMs;
  for (;;) {
    if (spawnError !== undefined || hasExited(child)) {
      await waitForExit(child, 1000);
      const how = spawnError?.message ?? `exit code ${child.exitCode ?? child.signalCode}`;
      throw new ServerStartError(
        `${spec.label} on port ${spec.port} exited during startup (${how})`,
        readTail(spec.logFile, logStart),
      );
    }
    if (await spec.isReady(child)) return child;
    if (Date.now() > deadline) {
      await terminate(child, 'SIGKILL', 1000);
      throw new ServerStartError(
        `${spec.label} on port ${spec.port} did not become ready within ${spec.readyTimeoutMs} ms (log: ${spec.logFile})`,
        readTail(spec.logFile, logStart),
      );
    }
    await sleep(50);
  }
}

/** Spawns a server, waits until `spec.isReady` says so, and returns its handle. */
export async function startManagedServer(spec: ManagedServerSpec): Promise<LocalServer> {
  let child = await launch(spec);
  return {
    url: spec.url,
    port: spec.port,
    dataDir: spec.dataDir,
    logFile: spec.logFile,
    get pid() {
      return child.pid ?? -1;
    },
    get process() {
      return child;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      await terminate(child, signal, spec.stopTimeoutMs);
      if (spec.ownsDataDir) removeTempDir(spec.dataDir);
    },
    async kill9() {
      await terminate(child, 'SIGKILL', 5000);
    },
    async restart() {
      await terminate(child, 'SIGTERM', spec.stopTimeoutMs);
      child = await launch(spec);
    },
  };
}

/**
 * Runs `start` with a fresh port until it does not fail on a port clash; freePort()
 * leaves a short window in which another process may take the port.
 */
export async function retryOnPortClash<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !(error instanceof ServerStartError && error.portInUse)) throw error;
    }
  }
}
