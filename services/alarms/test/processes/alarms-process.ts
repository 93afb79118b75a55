import { fileURLToPath } from 'node:url';
import { startServiceProcess, type ProcessInfra, type ServiceProcess } from '@nursing/testing';

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
const CRASHING_SERVER = fileURLToPath(new URL('./crashing-alarms-server.ts', import.meta.url));

/** Where a crashing alarms process kills itself (see RaiseCrashHooks). */
export type CrashPoint = 'after-store' | 'after-announce';

/**
 * An alarms service instance as a real process: its own server.ts, or, with `crashAt`,
 * the same module built by a test entry that kill -9s itself at that point of a raise.
 */
export function startAlarmsProcess(infra: ProcessInfra, options: { crashAt?: CrashPoint; env?: Record<string, string> } = {}): Promise<ServiceProcess> {
  const env = { ALARM_ACK_WAIT_MS: '2000', ALARM_TIMER_POLL_MS: '100', ...options.env };
  if (options.crashAt) return startServiceProcess('alarms', CRASHING_SERVER, infra, { ...env, ALARMS_CRASH_AT: options.crashAt });
  return startServiceProcess('alarms', SERVER, infra, env);
}
