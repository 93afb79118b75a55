import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Redis } from 'ioredis';

/** Linux reports process CPU time in clock ticks; 100 per second on every mainstream kernel config. */
const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has used, from /proc; NaN when unreadable. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** Microseconds of a process's CPU per unit of work (cores used / units a second), one decimal; NaN when nothing was done. */
export function microsecondsPer(cores: number, perSecond: number): number {
  return perSecond > 0 ? Math.round((cores / perSecond) * 1e7) / 10 : NaN;
}

/** CPU seconds the Redis server has used (INFO cpu). */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_sys') + field('used_cpu_user');
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/**
 * Where the two cores went during a phase: cores used (CPU seconds per wall second)
 * by the service under test, this process (the load generator), Redis, and the rest
 * of the machine (NATS, and whatever else was running: on a shared machine, other
 * people's work, which makes every figure of that phase a floor).
 */
export async function cpuMeter(redis: Redis, servicePid: number) {
  const wall0 = performance.now();
  const self0 = process.cpuUsage();
  const service0 = processCpuSeconds(servicePid);
  const redis0 = await redisCpuSeconds(redis);
  const machine0 = machineBusySeconds();
  return async (): Promise<{ serviceCores: number; generatorCores: number; redisCores: number; otherCores: number; machineBusy: number }> => {
    const wallS = (performance.now() - wall0) / 1000;
    const self = process.cpuUsage(self0);
    const round = (v: number) => Math.round(v * 100) / 100;
    const serviceCores = (processCpuSeconds(servicePid) - service0) / wallS;
    const generatorCores = (self.user + self.system) / 1e6 / wallS;
    const redisCores = ((await redisCpuSeconds(redis)) - redis0) / wallS;
    const machineCores = (machineBusySeconds() - machine0) / wallS;
    return {
      serviceCores: round(serviceCores),
      generatorCores: round(generatorCores),
      redisCores: round(redisCores),
      // NATS, the kernel's network work not charged to a process, other benchmarks' children, and anything else running.
      otherCores: round(Math.max(0, machineCores - serviceCores - generatorCores - redisCores)),
      // Share of all the machine's cores that was busy: near 1, every process also waits for a CPU, and latencies include that wait.
      machineBusy: round(machineCores / cpus().length),
    };
  };
}
