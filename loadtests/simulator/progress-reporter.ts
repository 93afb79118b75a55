import type { SimStats } from './sim-stats.ts';
import type { SimNurseHandle } from './sim-nurse.ts';

/** One line every few seconds: sockets, rates, orders by stage, errors. */
export function startProgressReporter(deps: { stats: SimStats; nurses: () => readonly SimNurseHandle[]; connected: () => number; everyS: number; print: (line: string) => void }) {
  const { stats, everyS, print } = deps;
  const started = Date.now();
  let last = { at: started, locations: 0, map: 0 };

  function line(): string {
    const now = Date.now();
    const c = stats.counters;
    const seconds = Math.max((now - last.at) / 1000, 0.001);
    const locRate = (c.locationsSent - last.locations) / seconds;
    const mapRate = (c.mapPositionsReceived - last.map) / seconds;
    last = { at: now, locations: c.locationsSent, map: c.mapPositionsReceived };
    const nurses = deps.nurses();
    const online = nurses.filter((n) => n.online()).length;
    const o = stats.orders;
    return [
      `[${String(Math.round((now - started) / 1000)).padStart(4)}s]`,
      `nurses ${deps.connected()}/${nurses.length} connected, ${online} online`,
      `| updates ${locRate.toFixed(0)}/s, map ${mapRate.toFixed(0)}/s`,
      `| orders created ${c.ordersCreated} offered ${o.offered.size} accepted ${o.accepted.size} completed ${o.completed.size} unassigned ${o.unassigned.size}`,
      `| grabs won ${c.grabsWon} lost ${c.grabsLost} | drills ${c.drillAlarms} (resolved ${c.drillsResolved}, followed fixes ${c.followedFixes})`,
      `| reconnects ${c.reconnections} | errors ${stats.errors}`,
    ].join(' ');
  }

  const timer = setInterval(() => print(line()), everyS * 1000);
  timer.unref();
  return {
    line,
    stop(): void {
      clearInterval(timer);
    },
  };
}
