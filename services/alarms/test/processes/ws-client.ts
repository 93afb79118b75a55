import { WebSocket } from 'ws';
import type { AlarmEvent, AlarmsSnapshotFrame } from '@nursing/contracts';

export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A test's WebSocket client: records every frame and waits for the ones it expects. */
export interface TestClient {
  ws: WebSocket;
  frames: Frame[];
  send(frame: object): void;
  next(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  closed: Promise<void>;
  close(): void;
}

export function openClient(url: string, token: string): Promise<TestClient> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const w of waiters) w();
  });
  ws.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const client: TestClient = {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    next(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = frames.find(predicate);
          if (!hit) return false;
          waiters.delete(onFrame);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const onFrame = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(onFrame);
          reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 800)}`));
        }, timeoutMs);
        if (!check()) waiters.add(onFrame);
      });
    },
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/**
 * How often a desk learned of an alarm: each `raised` event for it, plus each snapshot
 * that listed it. Exactly once means 1, whatever crashed in between.
 */
export function sightings(frames: readonly Frame[], alarmId: string): number {
  let n = 0;
  for (const f of frames) {
    if (f.type === 'alarm' && (f as unknown as AlarmEvent).event === 'raised' && (f as unknown as AlarmEvent).alarm.alarmId === alarmId) n++;
    if (f.type === 'alarms.snapshot' && (f as unknown as AlarmsSnapshotFrame).alarms.some((a) => a.alarmId === alarmId)) n++;
  }
  return n;
}

/** Sends an alarm frame and resolves with the gateway's answer to it (ack or error). */
export async function raiseOver(nurse: TestClient, alarmId: string, frameId: string, timeoutMs = 10_000): Promise<Frame> {
  nurse.send({ type: 'alarm', id: frameId, alarmId });
  return nurse.next((f) => (f.type === 'ack' || f.type === 'error') && f['id'] === frameId, timeoutMs);
}
