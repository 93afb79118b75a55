import { waitFor } from '@nursing/testing';
import type { BBox } from '@nursing/geo';
import type { TokenClaims } from '@nursing/contracts';
import { connectRawWs, openMany, type RawWs } from './raw-ws/raw-ws-client.ts';
import { createRateMeter, type RateMeter } from './rate-meter.ts';

export interface FleetNurse {
  id: string;
  institutionId: string;
  lat: number;
  lng: number;
}

export interface NurseFleetOptions {
  host: string;
  port: number;
  nurses: readonly FleetNurse[];
  sign: (claims: TokenClaims) => string;
  /** The walk stays inside this box (it is what the map viewers watch). */
  box: BBox;
  random: () => number;
  connectConcurrency?: number;
  /** Called for every fix sent, with its atMs (= send time). */
  onSent?: (nurse: number, atMs: number) => void;
  /** Frames other than acks and errors of locations and status (e.g. alarm acks). */
  onOtherText?: (nurse: number, text: string) => void;
}

/** Metres a nurse moves between fixes: a walk, well under the gateway's 70 m/s plausibility limit. */
const STEP_M = 3;
const M_PER_DEG_LAT = 111_195;
const TICK_MS = 10;
const ACK_LOCATION = '{"type":"ack","of":"location"';
const ACK_STATUS = '{"type":"ack","of":"status"';

/**
 * Nurse apps as a load generator: one WebSocket per nurse on /ws/nurse (raw frames,
 * see raw-ws/), each sending `location` fixes at a steady rate while walking, with at
 * most `maxInFlight` fixes unacknowledged (the gateway acks a fix once it is stored).
 * The window keeps a slow server from being flooded past its per-socket rate limit;
 * sends it holds back are counted as `throttled`, so the offered load is visible.
 * Each fix carries its send time in `atMs`, which is how latency to a map is measured.
 */
export function createNurseFleet(options: NurseFleetOptions) {
  const { nurses, box, random } = options;
  const n = nurses.length;
  const sockets: RawWs[] = [];
  const inFlight = new Int32Array(n);
  const lat = Float64Array.from(nurses, (x) => x.lat);
  const lng = Float64Array.from(nurses, (x) => x.lng);
  const heading = Float64Array.from(nurses, () => random() * 2 * Math.PI);
  const errors: Record<string, number> = {};
  let statusAcks = 0;
  let closed = 0;
  const closeCodes: Record<string, number> = {};

  let timer: NodeJS.Timeout | undefined;
  let sent: RateMeter = createRateMeter();
  let acked: RateMeter = createRateMeter();
  let throttled = 0;
  let lagged = 0;

  function onText(i: number, payload: Buffer): void {
    const text = payload.toString('latin1');
    if (text.startsWith(ACK_LOCATION)) {
      inFlight[i]!--;
      acked.add();
    } else if (text.startsWith(ACK_STATUS)) {
      statusAcks++;
    } else if (text.startsWith('{"type":"error"')) {
      const code = (JSON.parse(text) as { code?: string }).code ?? 'unknown';
      errors[code] = (errors[code] ?? 0) + 1;
      if (inFlight[i]! > 0) inFlight[i]!--;
    } else {
      options.onOtherText?.(i, payload.toString('utf8'));
    }
  }

  function step(i: number): void {
    let h = heading[i]! + (random() - 0.5) * 0.6;
    let la = lat[i]! + (STEP_M * Math.cos(h)) / M_PER_DEG_LAT;
    let lo = lng[i]! + (STEP_M * Math.sin(h)) / (M_PER_DEG_LAT * Math.cos((la * Math.PI) / 180));
    if (la < box.south || la > box.north || lo < box.west || lo > box.east) {
      h += Math.PI; // turn back inside the box
      la = lat[i]!;
      lo = lng[i]!;
    }
    heading[i] = h;
    lat[i] = la;
    lng[i] = lo;
  }

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
  }

  return {
    sockets,
    get size(): number {
      return n;
    },
    async connect(onProgress?: (done: number) => void): Promise<void> {
      const opened = await openMany(
        n,
        options.connectConcurrency ?? 64,
        (i) =>
          connectRawWs({
            host: options.host,
            port: options.port,
            path: '/ws/nurse',
            headers: { authorization: `Bearer ${options.sign({ sub: nurses[i]!.id, role: 'nurse', institution: nurses[i]!.institutionId })}` },
            onText: (payload) => onText(i, payload),
            onClose: (code) => {
              closed++;
              closeCodes[code] = (closeCodes[code] ?? 0) + 1;
            },
          }),
        onProgress,
      );
      sockets.push(...opened);
    },
    /** Every nurse reports herself available and waits for the acks, as the app does after connecting. */
    async announce(timeoutMs = 60_000): Promise<void> {
      const before = statusAcks;
      for (const s of sockets) s.send('{"type":"status","status":"available"}');
      await waitFor(() => statusAcks - before >= n, { timeoutMs, intervalMs: 100, message: `${n} status acks (got ${statusAcks - before})` });
    },
    /** Starts sending `ratePerNurse` fixes a second from every nurse; meters count from now. */
    start(ratePerNurse: number, maxInFlight: number, startMs = Date.now()): { sent: RateMeter; acked: RateMeter } {
      sent = createRateMeter(startMs);
      acked = createRateMeter(startMs);
      const t0 = performance.now();
      const totalRate = ratePerNurse * n;
      let scheduled = 0;
      let cursor = 0;
      timer = setInterval(() => {
        let due = Math.floor(((performance.now() - t0) / 1000) * totalRate) - scheduled;
        if (due <= 0) return;
        scheduled += due;
        // One slot per visit, at most one visit per nurse per tick: nobody exceeds her rate.
        if (due > n) {
          lagged += due - n;
          due = n;
        }
        const atMs = Date.now();
        let count = 0;
        for (let v = 0; v < due; v++) {
          const i = cursor;
          cursor = cursor + 1 === n ? 0 : cursor + 1;
          const s = sockets[i]!;
          if (!s.open) continue;
          if (inFlight[i]! >= maxInFlight) {
            throttled++;
            continue;
          }
          step(i);
          s.send(`{"type":"location","lat":${lat[i]!.toFixed(6)},"lng":${lng[i]!.toFixed(6)},"accuracyM":8,"atMs":${atMs}}`);
          inFlight[i]!++;
          count++;
          options.onSent?.(i, atMs);
        }
        sent.add(count, atMs);
      }, TICK_MS);
      return { sent, acked };
    },
    stop,
    /** Waits for the acks of fixes still in flight (bounded). */
    async drain(timeoutMs = 10_000): Promise<void> {
      await waitFor(() => inFlight.every((v) => v <= 0), { timeoutMs, intervalMs: 50, message: 'in-flight fixes acknowledged' }).catch(() => undefined);
    },
    stats() {
      let pending = 0;
      for (const v of inFlight) pending += v;
      return { sent: sent.total, acked: acked.total, inFlight: pending, throttled, lagged, errors: { ...errors }, closed, closeCodes: { ...closeCodes } };
    },
    close(): void {
      stop();
      for (const s of sockets) s.destroy();
    },
  };
}

export type NurseFleet = ReturnType<typeof createNurseFleet>;

/** `count` nurses spread uniformly over `box`, ids `<prefix><i>`, institutions round-robin. */
export function fleetNurses(count: number, box: BBox, institutions: readonly string[], random: () => number, prefix = 'n'): FleetNurse[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    institutionId: institutions[i % institutions.length]!,
    lat: box.south + random() * (box.north - box.south),
    lng: box.west + random() * (box.east - box.west),
  }));
}
