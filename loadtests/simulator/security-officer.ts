import type { Alarm } from '@nursing/contracts';
import { errorCodeOf, type Api } from './http-client.ts';
import type { SimStats } from './sim-stats.ts';

/** Seconds between acknowledging a drill and resolving it. */
const RESOLVE_AFTER_S = 10;

/**
 * The security desk's side of a drill: acknowledge it `handleAfterS` seconds after it was
 * raised, resolve it with notes a little later, over the alarms API, as an officer at the
 * desk would. Without it, drills pile up for the whole run (each escalating and keeping
 * its nurse reporting every second). A person at the desk who got there first makes the
 * call answer 409, which is counted as a race, not an error.
 */
export function createSecurityOfficer(deps: { api: Api; token: () => string; stats: SimStats; handleAfterS: number }) {
  const { api, stats } = deps;
  const timers = new Set<NodeJS.Timeout>();

  function later(seconds: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void run();
    }, seconds * 1000);
    timers.add(timer);
  }

  /** True when it went through; a conflict (someone else acted) ends the drill's handling quietly. */
  async function act(alarmId: string, action: 'acknowledge' | 'resolve', body: object): Promise<boolean> {
    try {
      const reply = await api('POST', `/v1/alarms/${encodeURIComponent(alarmId)}/${action}`, deps.token(), body);
      if (reply.status === 200) return true;
      if (reply.status === 409) stats.counters.races++;
      else stats.error(`drill.${action}: ${errorCodeOf(reply)}`, JSON.stringify(reply.body).slice(0, 160));
    } catch (err) {
      stats.error(`drill.${action}: request failed`, (err as Error).message);
    }
    return false;
  }

  return {
    /** Takes care of a drill just raised (nothing when handleAfterS is 0: left to a person at the desk). */
    handle(alarmId: string): void {
      if (deps.handleAfterS <= 0) return;
      later(deps.handleAfterS, async () => {
        if (!(await act(alarmId, 'acknowledge', {}))) return;
        later(RESOLVE_AFTER_S, async () => {
          if (await act(alarmId, 'resolve', { notes: 'Drill handled by the simulated security officer.' })) stats.counters.drillsResolved++;
        });
      });
    },
    /**
     * Resolves the drills of this fleet that an earlier run left open or acknowledged (each
     * keeps its nurse reporting every second and sits on every banner). Nothing when
     * handleAfterS is 0: then drills are left to a person at the desk. Real alarms are never touched.
     */
    async settleLeftover(nurseIds: ReadonlySet<string>): Promise<number> {
      if (deps.handleAfterS <= 0) return 0;
      let settled = 0;
      for (const status of ['open', 'acknowledged'] as const) {
        const listed = await api('GET', `/v1/alarms?status=${status}&limit=500`, deps.token());
        if (listed.status !== 200) throw new Error(`GET /v1/alarms?status=${status} answered ${listed.status} ${errorCodeOf(listed)}`);
        for (const alarm of (listed.body as { alarms: Alarm[] }).alarms) {
          if (!alarm.drill || !nurseIds.has(alarm.nurseId)) continue;
          if (status === 'open' && !(await act(alarm.alarmId, 'acknowledge', {}))) continue;
          if (await act(alarm.alarmId, 'resolve', { notes: 'Drill left open by an earlier simulator run.' })) settled++;
        }
      }
      return settled;
    },
    stop(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
