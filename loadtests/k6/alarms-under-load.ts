// Drill panic alarms while many nurses report positions: the alarm path must stay fast under load.
//   k6 run -e JWT_SECRET=... -e NURSES=300 -e ALARMS_PER_S=2 -e DURATION_S=60 loadtests/k6/alarms-under-load.ts
import http from 'k6/http';
import { check } from 'k6';
import { setInterval, clearInterval, setTimeout } from 'k6/timers';
import type { Options } from 'k6/options';
import { BASE_URL, intEnv, requireSecret } from './lib/env.ts';
import { signToken } from './lib/jwt.ts';
import { headers, near, registerFleet, type Fleet } from './lib/api.ts';
import { openNurseSocket } from './lib/nurse-socket.ts';

const NURSES = intEnv('NURSES', 300);
const DURATION_S = intEnv('DURATION_S', 60);

export const options: Options = {
  scenarios: {
    positions: { executor: 'per-vu-iterations', vus: NURSES, iterations: 1, maxDuration: `${DURATION_S + 30}s`, exec: 'reporter' },
    // Half over HTTP (POST /v1/alarms), half over the socket (the `alarm` frame).
    httpAlarms: { executor: 'constant-arrival-rate', rate: intEnv('ALARMS_PER_S', 2), timeUnit: '1s', duration: `${DURATION_S}s`, preAllocatedVUs: 5, startTime: '5s', exec: 'httpAlarm' },
    socketAlarms: { executor: 'constant-arrival-rate', rate: intEnv('ALARMS_PER_S', 2), timeUnit: '1s', duration: `${DURATION_S}s`, preAllocatedVUs: 5, startTime: '5s', exec: 'socketAlarm' },
  },
  thresholds: {
    'http_req_duration{name:raise-alarm}': ['p(99)<500'],
    'nurse_ack_ms{frame:alarm}': ['p(99)<500'],
    nurse_frame_errors: ['count<1'],
    checks: ['rate>0.99'],
  },
};

export function setup(): { fleet: Fleet; secret: string } {
  const secret = requireSecret();
  return { fleet: registerFleet(secret, NURSES), secret };
}

const tokenOf = (data: { fleet: Fleet; secret: string }, index: number) =>
  signToken({ sub: data.fleet.nurseIds[index % data.fleet.nurseIds.length] as string, role: 'nurse', institution: data.fleet.institutionId }, data.secret);
const alarmId = () => `k6-drill-${__VU}-${__ITER}-${Date.now()}`;

export function reporter(data: { fleet: Fleet; secret: string }): void {
  const socket = openNurseSocket(tokenOf(data, __VU - 1), () => undefined);
  socket.ws.addEventListener('open', () => {
    socket.send({ type: 'status', status: 'available' });
    const timer = setInterval(() => socket.send({ type: 'location', ...near((Math.random() - 0.5) * 6_000, 0), accuracyM: 10, atMs: Date.now() }), 5_000);
    setTimeout(() => {
      clearInterval(timer);
      socket.ws.close();
    }, DURATION_S * 1000);
  });
}

export function httpAlarm(data: { fleet: Fleet; secret: string }): void {
  const res = http.post(`${BASE_URL}/v1/alarms`, JSON.stringify({ alarmId: alarmId(), kind: 'panic', drill: true }), {
    ...headers(tokenOf(data, Math.floor(Math.random() * NURSES))),
    tags: { name: 'raise-alarm' },
  });
  check(res, { 'drill alarm stored (2xx)': (r) => r.status >= 200 && r.status < 300 });
}

export function socketAlarm(data: { fleet: Fleet; secret: string }): void {
  const socket = openNurseSocket(tokenOf(data, Math.floor(Math.random() * NURSES)), (frame) => {
    if (frame.type !== 'ack' && frame.type !== 'error') return;
    check(frame, { 'drill alarm acknowledged over the socket': (f) => f.type === 'ack' && f['of'] === 'alarm' });
    socket.ws.close();
  });
  socket.ws.addEventListener('open', () => socket.send({ type: 'alarm', alarmId: alarmId(), kind: 'panic', drill: true }));
}
