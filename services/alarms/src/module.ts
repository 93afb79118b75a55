import type { ServiceDeps, ServiceModule } from '@nursing/service-kit';
import { createPresenceStore } from '@nursing/presence';
import { createTimerQueue } from '@nursing/timer-queue';
import { PUDONG_ITEMS } from '@nursing/contracts';
import { createAlarmMetrics } from './alarm-metrics.ts';
import type { AlarmsConfig } from './env.ts';
import { createAlarmStore } from './store/alarm-store.ts';
import { createAlarmNotifier } from './notify/alarm-notifier.ts';
import { createEscalationWebhook } from './notify/escalation-webhook.ts';
import { createAlarmAudit } from './audit/alarm-audit.ts';
import { enrichAlarm } from './raise/enrich-alarm.ts';
import { createRaiseHandler, type RaiseCrashHooks } from './raise/handle-raise.ts';
import { createRaiseConsumer } from './raise/raise-consumer.ts';
import { raiseRoutes } from './raise/raise-routes.ts';
import { createEscalation } from './escalation/escalate-alarm.ts';
import { createDeskActions } from './desk/desk-actions.ts';
import { deskRoutes } from './desk/desk-routes.ts';
import { statsRoutes } from './stats/stats-routes.ts';
import { createWelfareTimer } from './welfare/welfare-timer.ts';
import { welfareListeners } from './welfare/welfare-listeners.ts';
import { welfareRoutes } from './welfare/welfare-routes.ts';
import { visitDurations, type ItemDuration } from './welfare/visit-duration.ts';
import { parseAlarmTimer } from './timers/alarm-timers.ts';

export type AlarmsDeps = ServiceDeps<AlarmsConfig>;

export interface AlarmsOptions {
  /** The catalogue's planned visit durations, for welfare deadlines (default: the platform's catalogue); items missing take WELFARE_DEFAULT_VISIT_MS. */
  catalog?: readonly ItemDuration[];
  /** Overrides the duration lookup (tests use visits of a second). */
  visitDurationMs?: (itemCode: string) => number;
  /** Crash points for recovery tests; never set in production. */
  crashHooks?: RaiseCrashHooks;
  /** How long a claimed timer stays claimed before another instance may fire it again. */
  timerLeaseMs?: number;
}

/**
 * The alarms service: takes stored raises from JetStream, keeps alarm state in Redis,
 * announces alarms to desks and coordinators, escalates unacknowledged ones, runs the
 * welfare timers of visits, and serves the desk's HTTP actions. It depends on Redis and
 * NATS only, so alarms keep working while dispatch is down or overloaded. Any number
 * of instances share the work.
 */
export function createAlarmsModule(deps: AlarmsDeps, options: AlarmsOptions = {}): ServiceModule {
  const { config, redis, bus, keys, subjects, streams, log, now } = deps;
  const presence = createPresenceStore({ redis, nc: bus.nc, keys, subjects });
  const store = createAlarmStore({ redis, keys });
  const notifier = createAlarmNotifier({ nc: bus.nc, subjects });
  const audit = createAlarmAudit({ js: bus.js, jsm: bus.jsm, subjects, streamName: streams.audit, log, replicas: config.NATS_STREAM_REPLICAS });
  const timers = createTimerQueue({
    redis,
    key: keys.timers('alarms'),
    log,
    now,
    pollMs: config.ALARM_TIMER_POLL_MS,
    leaseMs: options.timerLeaseMs ?? 5_000,
  });
  const handleRaise = createRaiseHandler({
    store,
    notifier,
    audit,
    timers,
    enrich: (message) => enrichAlarm({ redis, keys, presence }, message),
    escalateAfterMs: config.ALARM_ESCALATE_AFTER_MS,
    now,
    ...(options.crashHooks ? { hooks: options.crashHooks } : {}),
  });
  const alarmMetrics = createAlarmMetrics({ metrics: deps.metrics, redis, keys });
  const consumer = createRaiseConsumer({
    replicas: config.NATS_STREAM_REPLICAS,
    nc: bus.nc,
    js: bus.js,
    jsm: bus.jsm,
    subjects,
    streamName: streams.alarms,
    durableName: streams.alarmsConsumer,
    ackWaitMs: config.ALARM_ACK_WAIT_MS,
    log,
    handle: async (message) => {
      const result = await handleRaise(message);
      if (result.created) alarmMetrics.stored(result.alarm);
      return result;
    },
  });
  const escalate = createEscalation({
    store,
    timers,
    notifier,
    audit,
    webhook: createEscalationWebhook({ url: config.ALARM_WEBHOOK_URL, timeoutMs: config.ALARM_WEBHOOK_TIMEOUT_MS, log }),
    escalateAfterMs: config.ALARM_ESCALATE_AFTER_MS,
    now,
    log,
  });
  const welfare = createWelfareTimer({
    redis,
    keys,
    subjects,
    js: bus.js,
    timers,
    log,
    now,
    marginMs: config.WELFARE_MARGIN_MS,
    visitDurationMs: options.visitDurationMs ?? visitDurations(options.catalog ?? PUDONG_ITEMS, config.WELFARE_DEFAULT_VISIT_MS),
  });
  const listeners = welfareListeners({ nc: bus.nc, subjects, welfare, log });
  const actions = createDeskActions({ store, timers, notifier, audit, now });

  async function onTimer(member: string): Promise<void> {
    const timer = parseAlarmTimer(member);
    if (!timer) {
      log.error({ timer: member }, 'unknown alarms timer dropped');
      return;
    }
    if (timer.kind === 'escalation') await escalate(timer.alarmId, timer.level);
    else await welfare.expire(timer.orderId, timer.deadlineMs);
  }

  return {
    name: 'alarms',
    description: 'Alarms: panic and overdue alarms, stored before they are acknowledged to the app, delivered to every security desk, escalated until acknowledged.',
    routes: async (app) => {
      await app.register(raiseRoutes({ js: bus.js, subjects, now, limitPerMin: config.ALARM_RAISE_LIMIT_PER_MIN }));
      await app.register(statsRoutes({ store, now }));
      await app.register(deskRoutes({ store, actions, audit }));
      await app.register(welfareRoutes({ welfare }));
    },
    async start() {
      await audit.ensureStream();
      await consumer.start();
      listeners.start();
      timers.start(onTimer);
      alarmMetrics.start();
    },
    async stop() {
      alarmMetrics.stop();
      await consumer.stop();
      await listeners.stop();
      await timers.stop();
    },
  };
}
