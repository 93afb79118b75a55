// A grab storm: many nurses near the centre grab every broadcast at once; exactly one wins each.
//   k6 run -e JWT_SECRET=... -e NURSES=200 -e ORDERS=20 loadtests/k6/grab-storm.ts
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { setTimeout } from 'k6/timers';
import type { Options } from 'k6/options';
import { BASE_URL, PREFIX, intEnv, requireSecret } from './lib/env.ts';
import { signToken } from './lib/jwt.ts';
import { headers, near, orderBody, registerFleet, type Fleet } from './lib/api.ts';
import { openNurseSocket } from './lib/nurse-socket.ts';

const NURSES = intEnv('NURSES', 200);
const ORDERS = intEnv('ORDERS', 20);
const grabsWon = new Counter('grabs_won');
const grabsLost = new Counter('grabs_lost');
const ordersCreated = new Counter('grab_orders_created');

export const options: Options = {
  scenarios: {
    nurses: { executor: 'per-vu-iterations', vus: NURSES, iterations: 1, maxDuration: '3m', exec: 'nurse' },
    coordinator: { executor: 'shared-iterations', vus: 1, iterations: ORDERS, startTime: '10s', maxDuration: '2m', exec: 'coordinator' },
  },
  thresholds: {
    nurse_frame_errors: ['count<1'],
    // Every order has exactly one winner: grabs_won equals grab_orders_created (compare in the summary).
    grabs_won: [`count<=${ORDERS}`],
    'nurse_ack_ms{frame:grab}': ['p(99)<1000'],
  },
};

export function setup(): { fleet: Fleet; secret: string } {
  const secret = requireSecret();
  return { fleet: registerFleet(secret, NURSES), secret };
}

export function nurse(data: { fleet: Fleet; secret: string }): void {
  const id = data.fleet.nurseIds[(__VU - 1) % data.fleet.nurseIds.length] as string;
  const token = signToken({ sub: id, role: 'nurse', institution: data.fleet.institutionId }, data.secret);
  const grabIds = new Set<number>();
  const socket = openNurseSocket(
    token,
    (frame, s) => {
      if (frame.type === 'broadcast') grabIds.add(s.send({ type: 'grab', orderId: String(frame.orderId) }));
      if (frame.type === 'ack' && frame.of === 'grab' && grabIds.has(frame.id as number)) grabsWon.add(1);
      if (frame.type === 'error' && grabIds.has(frame.id as number)) grabsLost.add(1);
    },
    ['ORDER_TAKEN'],
  );
  socket.ws.addEventListener('open', () => {
    socket.send({ type: 'status', status: 'available' });
    socket.send({ type: 'location', ...near((Math.random() - 0.5) * 2_000, (Math.random() - 0.5) * 2_000), accuracyM: 10, atMs: Date.now() });
    setTimeout(() => socket.ws.close(), 100_000);
  });
}

export function coordinator(data: { fleet: Fleet; secret: string }): void {
  const token = signToken({ sub: `${PREFIX}-coord`, role: 'coordinator', institution: data.fleet.institutionId }, data.secret);
  const res = http.post(`${BASE_URL}/v1/orders`, orderBody('grab', near(0, 0)), headers(token));
  if (check(res, { 'grab order broadcast': (r) => r.status === 201 && (r.json('state') as string) === 'broadcast' })) ordersCreated.add(1);
}
