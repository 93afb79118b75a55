// Nurses' sockets reporting positions: each VU is one nurse moving around the centre.
//   k6 run -e JWT_SECRET=... -e NURSES=500 -e INTERVAL_MS=5000 -e DURATION_S=60 loadtests/k6/nurse-locations.ts
import { setInterval, clearInterval, setTimeout } from 'k6/timers';
import type { Options } from 'k6/options';
import { intEnv, requireSecret } from './lib/env.ts';
import { signToken } from './lib/jwt.ts';
import { near, registerFleet, type Fleet } from './lib/api.ts';
import { openNurseSocket } from './lib/nurse-socket.ts';

const NURSES = intEnv('NURSES', 500);
const INTERVAL_MS = intEnv('INTERVAL_MS', 5_000);
const DURATION_S = intEnv('DURATION_S', 60);

export const options: Options = {
  scenarios: { nurses: { executor: 'per-vu-iterations', vus: NURSES, iterations: 1, maxDuration: `${DURATION_S + 30}s` } },
  thresholds: {
    nurse_frame_errors: ['count<1'],
    'nurse_ack_ms{frame:location}': ['p(99)<250'],
  },
};

export function setup(): { fleet: Fleet; secret: string } {
  const secret = requireSecret();
  return { fleet: registerFleet(secret, NURSES), secret };
}

export default function (data: { fleet: Fleet; secret: string }): void {
  const id = data.fleet.nurseIds[(__VU - 1) % data.fleet.nurseIds.length] as string;
  const token = signToken({ sub: id, role: 'nurse', institution: data.fleet.institutionId }, data.secret);
  const socket = openNurseSocket(token, () => undefined);
  let north = (Math.random() - 0.5) * 6_000;
  let east = (Math.random() - 0.5) * 6_000;
  socket.ws.addEventListener('open', () => {
    socket.send({ type: 'status', status: 'available' });
    const timer = setInterval(() => {
      // About 1.4 m/s on foot, in a random direction.
      north += (Math.random() - 0.5) * 2 * 1.4 * (INTERVAL_MS / 1000);
      east += (Math.random() - 0.5) * 2 * 1.4 * (INTERVAL_MS / 1000);
      socket.send({ type: 'location', ...near(north, east), accuracyM: 10, atMs: Date.now() });
    }, INTERVAL_MS);
    setTimeout(() => {
      clearInterval(timer);
      socket.send({ type: 'status', status: 'offline' });
      setTimeout(() => socket.ws.close(), 500);
    }, DURATION_S * 1000);
  });
}
