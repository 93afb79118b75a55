import { openTestSocket, type Frame, type TestSocket } from '@nursing/testing';
import type { AlarmEvent, AlarmsSnapshotFrame } from '@nursing/contracts';

export type { Frame } from '@nursing/testing';
export type TestClient = TestSocket;

/** A desk's or nurse app's socket, patient with a loaded machine (10 s per expected frame). */
export function openClient(url: string, token: string): Promise<TestClient> {
  return openTestSocket(url, token, { timeoutMs: 10_000 });
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
