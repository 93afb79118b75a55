import Type from 'typebox';
import { CommonEnv } from '@nursing/config';

/** Alarm settings. */
export const AlarmsEnv = {
  ALARM_ESCALATE_AFTER_MS: Type.Integer({ minimum: 1_000, default: 30_000, description: 'unacknowledged for this long -> next escalation level' }),
  ALARM_WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'called on escalation (SMS or phone integration)' })),
  WELFARE_MARGIN_MS: Type.Integer({ minimum: 0, default: 15 * 60_000, description: 'added to the visit duration before an overdue alarm' }),
};

export const AlarmsEnvSchema = Type.Object({ ...CommonEnv, ...AlarmsEnv });
export type AlarmsConfig = Type.Static<typeof AlarmsEnvSchema>;
