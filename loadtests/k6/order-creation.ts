// Coordinators creating orders over HTTP at a constant arrival rate.
//   k6 run -e JWT_SECRET=... -e RATE=20 -e DURATION=60s loadtests/k6/order-creation.ts
import http from 'k6/http';
import { check } from 'k6';
import type { Options } from 'k6/options';
import { BASE_URL, PREFIX, intEnv, requireSecret } from './lib/env.ts';
import { signToken } from './lib/jwt.ts';
import { headers, near, orderBody, registerFleet } from './lib/api.ts';

export const options: Options = {
  scenarios: {
    orders: {
      executor: 'constant-arrival-rate',
      rate: intEnv('RATE', 20),
      timeUnit: '1s',
      duration: __ENV['DURATION'] || '60s',
      preAllocatedVUs: 20,
      maxVUs: 100,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:create-order}': ['p(99)<500'],
  },
};

export function setup(): { token: string } {
  const secret = requireSecret();
  const fleet = registerFleet(secret, 0);
  return { token: signToken({ sub: `${PREFIX}-coord`, role: 'coordinator', institution: fleet.institutionId }, secret) };
}

export default function (data: { token: string }): void {
  const where = near((Math.random() - 0.5) * 8_000, (Math.random() - 0.5) * 8_000);
  const res = http.post(`${BASE_URL}/v1/orders`, orderBody(Math.random() < 0.5 ? 'push' : 'grab', where), { ...headers(data.token), tags: { name: 'create-order' } });
  check(res, { 'order created (201)': (r) => r.status === 201 });
}
