import type { Redis } from 'ioredis';
import type { Alarm, RedisKeys } from '@nursing/contracts';
import type { ServiceMetrics } from '@nursing/service-kit';

const OPEN_ALARMS_REFRESH_MS = 5_000;

/**
 * What the alarms service reports at /metrics: alarms raised by kind (counted once, by
 * the instance that stored the alarm) and the number of unresolved alarms (read from
 * Redis, so every instance reports the same total).
 */
export function createAlarmMetrics(deps: { metrics: ServiceMetrics; redis: Redis; keys: RedisKeys }) {
  const raised = deps.metrics.counter('alarmsRaised');
  const open = deps.metrics.gauge('openAlarms');
  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => open.set(await deps.redis.zcard(deps.keys.openAlarms));

  return {
    stored(alarm: Alarm): void {
      raised.inc({ kind: alarm.drill ? `${alarm.kind}_drill` : alarm.kind });
    },
    start(): void {
      void refresh().catch(() => undefined);
      timer = setInterval(() => void refresh().catch(() => undefined), OPEN_ALARMS_REFRESH_MS);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
