import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ErrorReply, Id, Timestamp, WelfareCheckin } from '@nursing/contracts';
import { claimsOf } from '@nursing/service-kit';
import type { WelfareTimer } from './welfare-timer.ts';

const CheckinReply = Type.Object({ orderId: Id, deadlineAt: Timestamp });

/** `POST /v1/welfare/checkin`: the nurse's "I am fine" over HTTP (the app normally sends the `checkin` frame). */
export function welfareRoutes(deps: { welfare: WelfareTimer }) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/v1/welfare/checkin',
      {
        schema: {
          tags: ['alarms'],
          summary: 'push the welfare deadline of the visit back',
          body: WelfareCheckin,
          response: { 200: CheckinReply, 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply },
        },
        preHandler: app.auth('nurse'),
      },
      async (req) => deps.welfare.checkin(claimsOf(req).sub, (req.body as Type.Static<typeof WelfareCheckin>).orderId),
    );
  };
}
