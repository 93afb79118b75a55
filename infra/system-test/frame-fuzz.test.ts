import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { COORDINATOR_CLIENT_FRAMES, NURSE_CLIENT_FRAMES, SECURITY_CLIENT_FRAMES } from '@nursing/contracts';
import { startSystemApp, type SystemApp } from './system-app.ts';
import { seedSystem, SEED } from './seed.ts';
import { stateDigest } from './state-digest.ts';

// Property: whatever a client sends on any socket, the server answers a frame that has
// an id (ack or error), stays up, and a refused frame changes neither Redis nor
// JetStream. Too many refusals close the socket with 4400, as designed; the fuzzer then
// opens a new one. Frame types come from the contracts, so a new frame type is fuzzed too.

type Answer = { type: string; id?: unknown; code?: string };

class FuzzSocket {
  private answers = new Map<string, (a: Answer) => void>();
  closedWith: number | undefined;
  readonly closed: Promise<void>;
  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data) => {
      let frame: Answer;
      try {
        frame = JSON.parse(String(data)) as Answer;
      } catch {
        return;
      }
      if (typeof frame.id === 'string') this.answers.get(frame.id)?.(frame);
    });
    ws.on('close', (code) => {
      this.closedWith = code;
      for (const resolve of this.answers.values()) resolve({ type: 'closed' });
    });
  }
  static open(url: string, token: string): Promise<FuzzSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
      ws.once('open', () => resolve(new FuzzSocket(ws)));
      ws.once('error', reject);
    });
  }
  /** Sends and waits for the answer to `id` (or the socket closing). */
  ask(text: string, id: string): Promise<Answer> {
    return new Promise((resolve) => {
      if (this.ws.readyState !== WebSocket.OPEN) return resolve({ type: 'closed' });
      const timer = setTimeout(() => resolve({ type: 'timeout' }), 5_000);
      this.answers.set(id, (a) => {
        clearTimeout(timer);
        this.answers.delete(id);
        resolve(a);
      });
      this.ws.send(text);
    });
  }
}

const SOCKETS = [
  { path: '/ws/nurse', frames: Object.keys(NURSE_CLIENT_FRAMES), fields: fieldNames(NURSE_CLIENT_FRAMES) },
  { path: '/ws/coordinator', frames: Object.keys(COORDINATOR_CLIENT_FRAMES), fields: fieldNames(COORDINATOR_CLIENT_FRAMES) },
  { path: '/ws/security', frames: Object.keys(SECURITY_CLIENT_FRAMES), fields: fieldNames(SECURITY_CLIENT_FRAMES) },
];

function fieldNames(frames: Record<string, { properties?: Record<string, unknown> }>): string[] {
  return [...new Set(Object.values(frames).flatMap((f) => Object.keys(f.properties ?? {})))].filter((k) => k !== 'type' && k !== 'id');
}

let t: SystemApp;
beforeAll(async () => {
  t = await startSystemApp();
  await seedSystem(t);
}, 60_000);
afterAll(() => t?.close());

describe('every socket, fuzzed', () => {
  for (const socket of SOCKETS) {
    it(`${socket.path}: answers every frame, stays up, and a refused frame changes no state`, async () => {
      const token = socket.path === '/ws/nurse' ? t.tokens.nurse(SEED.nurse, SEED.institution) : socket.path === '/ws/coordinator' ? t.tokens.coordinator(SEED.institution) : t.tokens.security();
      const url = `${t.wsUrl}${socket.path}`;
      let ws = await FuzzSocket.open(url, token);
      let counter = 0;
      let refused = 0;
      const { redis, bus, config } = t.deps;
      const value = fc.oneof(fc.anything({ maxDepth: 2 }), fc.double(), fc.constantFrom('', 'x'.repeat(2_000), '{o:1}', 'n-fuzz', -1, 1e308));
      const frame = fc.record({
        kind: fc.constantFrom('typed', 'typed', 'typed', 'untyped', 'garbage'),
        type: fc.oneof(fc.constantFrom(...socket.frames), fc.string({ maxLength: 12 })),
        fields: fc.dictionary(fc.oneof(fc.constantFrom(...socket.fields, 'type'), fc.string({ maxLength: 8 })), value, { maxKeys: 6 }),
        garbage: fc.oneof(fc.string(), fc.constantFrom('{', '[]', 'null', '"frame"', '{"type": 1}')),
      });

      await fc.assert(
        fc.asyncProperty(frame, async (f) => {
          if (ws.ws.readyState !== WebSocket.OPEN) {
            await ws.closed;
            // 4400 (too many invalid frames) or 4429 (rate) are the designed answers to a hostile client.
            expect([4400, 4429]).toContain(ws.closedWith);
            ws = await FuzzSocket.open(url, token);
          }
          const id = `f${counter++}`;
          const body =
            f.kind === 'garbage' ? f.garbage : JSON.stringify(f.kind === 'typed' ? { ...f.fields, type: f.type, id } : { ...f.fields, id });
          const before = await stateDigest(redis, bus.jsm, config.NAMESPACE);
          if (f.kind === 'garbage') {
            ws.ws.send(body);
            return;
          }
          const answer = await ws.ask(body, id);
          expect(['ack', 'error', 'pong', 'closed'], `${socket.path} ${body.slice(0, 200)} -> ${JSON.stringify(answer)}`).toContain(answer.type);
          if (answer.type === 'error') {
            refused++;
            expect(answer.code).not.toBe('INTERNAL');
            expect(await stateDigest(redis, bus.jsm, config.NAMESPACE), `${socket.path} refused ${body.slice(0, 200)} but changed state`).toBe(before);
          }
        }),
        { numRuns: 150 },
      );
      expect(refused).toBeGreaterThan(50);
      const health = await t.app.inject({ url: '/healthz' });
      expect(health.statusCode).toBe(200);
      ws.ws.close();
    }, 120_000);
  }
});
