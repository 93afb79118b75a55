import { runService } from '@nursing/service-kit';
import { AlarmsEnvSchema } from '../../src/env.ts';
import { createAlarmsModule } from '../../src/module.ts';
import type { RaiseCrashHooks } from '../../src/raise/handle-raise.ts';

// The alarms service exactly as server.ts runs it, except that it kill -9s itself at
// ALARMS_CRASH_AT during the first raise it handles: the crash windows of a raise,
// hit on purpose instead of by luck.
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const at = process.env['ALARMS_CRASH_AT'];
const crashHooks: RaiseCrashHooks = at === 'after-store' ? { afterStore: die } : at === 'after-announce' ? { afterAnnounce: die } : {};

await runService({
  name: 'alarms',
  title: 'Home-nursing alarms (crash test)',
  envSchema: AlarmsEnvSchema,
  modules: (deps) => [createAlarmsModule(deps, { crashHooks })],
});
