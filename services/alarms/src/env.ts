import Type from 'typebox';
import { CommonEnv } from '@nursing/config';

/** Alarm settings. */
export const AlarmsEnv = {
  ALARM_ESCALATE_AFTER_MS: Type.Integer({ minimum: 1_000, default: 30_000, description: 'unacknowledged for this long -> next escalation level' }),
  ALARM_RAISE_LIMIT_PER_MIN: Type.Integer({ minimum: 1, default: 60, description: 'alarms one nurse may raise over HTTP per minute (retries included; 429 beyond)' }),
  ALARM_WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'called on escalation (SMS or phone integration)' })),
  ALARM_WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30_000, default: 3_000, description: 'a webhook call slower than this counts as failed' }),
  ALARM_ACK_WAIT_MS: Type.Integer({
    minimum: 1_000,
    default: 5_000,
    description: 'a raise taken by an instance that dies is handed to another after this long',
  }),
  ALARM_TIMER_POLL_MS: Type.Integer({ minimum: 20, maximum: 5_000, default: 250, description: 'how often escalation and welfare deadlines are checked' }),
  WELFARE_MARGIN_MS: Type.Integer({ minimum: 0, default: 15 * 60_000, description: 'added to the visit duration before an overdue alarm' }),
  WELFARE_DEFAULT_VISIT_MS: Type.Integer({
    minimum: 60_000,
    default: 90 * 60_000,
    description: "a visit's expected duration when its item is not in the catalogue the service was given",
  }),
};

export const AlarmsEnvSchema = Type.Object({ ...CommonEnv, ...AlarmsEnv });
export type AlarmsConfig = Type.Static<typeof AlarmsEnvSchema>;
