import type { FastifyInstance } from 'fastify';
import type { JetStreamClient } from '@nats-io/jetstream';
import { AlarmRaise, AlarmRaiseAccepted, ErrorReply, type NatsSubjects } from '@nursing/contracts';
import { publishAlarmRaise, raisedMessageOf } from '@nursing/alarm-intake';
import { claimsOf, perCaller } from '@nursing/service-kit';

/**
 * `POST /v1/alarms`: the panic button over HTTP, for when the app's socket is down.
 * Answers 201 only once the raise is stored in JetStream; 503 tells the app to retry
 * with the same alarmId, which makes the retry the same alarm.
 */
export function raiseRoutes(deps: { js: JetStreamClient; subjects: NatsSubjects; now: () => number; limitPerMin: number }) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/v1/alarms',
      {
        schema: {
          tags: ['alarms'],
          summary: 'raise a panic alarm (nurse); idempotent by alarmId',
          body: AlarmRaise,
          response: { 201: AlarmRaiseAccepted, 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 429: ErrorReply, 503: ErrorReply },
        },
        preHandler: app.auth('nurse'),
        // Generous: a panicking nurse retries; only a broken or hostile client reaches it.
        config: { rateLimit: perCaller({ max: deps.limitPerMin, windowMs: 60_000 }) },
      },
      async (req, reply) => {
        const message = raisedMessageOf(req.body as AlarmRaise, claimsOf(req), 'http', deps.now());
        return reply.status(201).send(await publishAlarmRaise(deps.js, deps.subjects, message));
      },
    );
  };
}
