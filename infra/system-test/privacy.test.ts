import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '@nursing/logging';
import { collectLogs, waitFor, type LogCollector } from '@nursing/testing';
import { startSystemApp, type SystemApp } from './system-app.ts';
import { seedSystem, SEED } from './seed.ts';

// Patient identity and address reach only the assigned nurse, her institution's
// coordinators and the security desk during an alarm: never a log line (at trace
// level, the most talkative), never a coordinator's alarm frame, and every read is in
// the order's audit trail.

const PATIENT = ['Wang Fang', '13800138000', 'Century Avenue'];

type Frame = { type: string; [k: string]: unknown };
function openSocket(url: string, token: string): Promise<{ ws: WebSocket; frames: Frame[]; send(f: object): void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    const frames: Frame[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Frame));
    ws.once('open', () => resolve({ ws, frames, send: (f) => ws.send(JSON.stringify(f)) }));
    ws.once('error', reject);
  });
}

let t: SystemApp;
let logs: LogCollector;
let orderId: string;

beforeAll(async () => {
  logs = collectLogs();
  t = await startSystemApp({ LOG_LEVEL: 'trace' }, createLogger({ name: 'privacy', level: 'trace' }, logs.stream));
  ({ orderId } = await seedSystem(t));
}, 60_000);
afterAll(() => t?.close());

describe('patient privacy across the system', () => {
  it('discloses the patient only to those entitled, audits every disclosure, and logs none of it', async () => {
    const coordinator = { authorization: `Bearer ${t.tokens.coordinator(SEED.institution)}` };
    const map = await openSocket(`${t.wsUrl}/ws/coordinator`, t.tokens.coordinator(SEED.institution));
    map.send({ type: 'viewport', id: 'v', west: 121.3, south: 31.1, east: 121.6, north: 31.4 });
    const desk = await openSocket(`${t.wsUrl}/ws/security`, t.tokens.security());
    const nurse = await openSocket(`${t.wsUrl}/ws/nurse`, t.tokens.nurse(SEED.nurse, SEED.institution));

    // Assigned by hand: she receives the patient's details.
    const assign = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/assign`, headers: coordinator, payload: { nurseId: SEED.nurse, override: true, reason: 'privacy test' } });
    expect(assign.statusCode, assign.body).toBe(200);
    await waitFor(() => nurse.frames.some((f) => f.type === 'assigned'), { timeoutMs: 5_000, message: 'the assignment on her socket' });
    expect(JSON.stringify(nurse.frames.find((f) => f.type === 'assigned'))).toContain('Century Avenue');

    // Her coordinator reads the patient; a coordinator of another institution may not.
    expect((await t.app.inject({ url: `/v1/orders/${orderId}/patient`, headers: coordinator })).statusCode).toBe(200);
    const stranger = await t.app.inject({ url: `/v1/orders/${orderId}/patient`, headers: { authorization: `Bearer ${t.tokens.coordinator(SEED.otherInstitution)}` } });
    expect(stranger.statusCode).toBe(403);

    // An alarm during the visit: the desk sees the address, her coordinators do not.
    nurse.send({ type: 'location', id: 'l', lat: SEED.centre.lat, lng: SEED.centre.lng, accuracyM: 5, atMs: Date.now() });
    nurse.send({ type: 'alarm', id: 'a', alarmId: 'privacy-alarm-1', kind: 'panic' });
    await waitFor(() => nurse.frames.some((f) => f.type === 'ack' && f['id'] === 'a'), { timeoutMs: 10_000, message: 'the alarm stored' });
    await waitFor(() => desk.frames.some((f) => f.type === 'alarm'), { timeoutMs: 10_000, message: 'the alarm on the desk' });
    await waitFor(() => map.frames.some((f) => f.type === 'alarm'), { timeoutMs: 10_000, message: 'the alarm on the map' });
    expect(JSON.stringify(desk.frames.filter((f) => f.type === 'alarm'))).toContain('Century Avenue');
    for (const secret of PATIENT) expect(JSON.stringify(map.frames)).not.toContain(secret);

    const timeline = (await t.app.inject({ url: `/v1/orders/${orderId}/timeline`, headers: coordinator })).json() as { entries: { action: string; details?: { to?: string; role?: string } }[] };
    const disclosures = timeline.entries.filter((e) => e.action === 'patient.disclosed').map((e) => `${e.details?.role}:${e.details?.to}`);
    expect(disclosures).toEqual(expect.arrayContaining([`nurse:${SEED.nurse}`, 'coordinator:coord-inst-fuzz']));

    const written = logs.text();
    expect(written.length).toBeGreaterThan(1_000); // it did log, at trace level
    for (const secret of PATIENT) expect(written).not.toContain(secret);
    for (const token of [t.tokens.nurse(SEED.nurse, SEED.institution), t.tokens.security()]) expect(written).not.toContain(token.split('.')[2]);
    for (const s of [map, desk, nurse]) s.ws.close();
  }, 60_000);
});
