import { waitFor } from '@nursing/testing';
import type { BBox } from '@nursing/geo';
import type { TokenClaims } from '@nursing/contracts';
import { connectRawWs, openMany, type RawWs } from './raw-ws/raw-ws-client.ts';
import { createRateMeter, type RateMeter } from './rate-meter.ts';

/** What a measuring map got in one positions frame. */
export type PositionsListener = (viewer: number, nurses: readonly { nurseId: string; atMs: number }[], arrivedMs: number) => void;

export interface MapViewersOptions {
  host: string;
  port: number;
  count: number;
  /** How many of them parse what they receive and record latency (the rest only read bytes). */
  measuring: number;
  /** Viewers' institutions, round-robin: a coordinator sees other institutions' nurses anonymised. */
  institutions: readonly string[];
  /** The measuring viewers' institution: they see its nurses by id, so they can follow marked nurses. */
  measuringInstitution: string;
  sign: (claims: TokenClaims) => string;
  viewport: BBox;
  /** Viewer i's viewport when they differ (default: `viewport` for all). */
  viewportOf?: (viewer: number) => BBox;
}

const POSITIONS = '{"type":"positions"';
const ACK_VIEWPORT = '"of":"viewport"';

/**
 * Coordinators' live maps: sockets on /ws/coordinator that each sent a `viewport`.
 * Measuring viewers parse every `positions` frame and hand its nurses to a listener
 * (see fix-tracker.ts); the others read and drop their bytes, so the gateway still has
 * to produce and send every stream.
 */
export function createMapViewers(options: MapViewersOptions) {
  const sockets: RawWs[] = [];
  let viewportAcks = 0;
  let listener: PositionsListener | undefined;
  let delivered: RateMeter = createRateMeter();
  let bytes: RateMeter = createRateMeter();
  let frames = 0;
  let closed = 0;

  function onText(viewer: number, payload: Buffer): void {
    bytes.add(payload.length);
    if (payload.toString('latin1', 0, POSITIONS.length) === POSITIONS) {
      frames++;
      if (viewer >= options.measuring) return;
      const now = Date.now();
      const { nurses } = JSON.parse(payload.toString('utf8')) as { nurses: { nurseId: string; atMs: number }[] };
      delivered.add(nurses.length, now);
      listener?.(viewer, nurses, now);
      return;
    }
    if (payload.length < 200 && payload.toString('latin1').includes(ACK_VIEWPORT)) viewportAcks++;
  }

  return {
    async connect(): Promise<void> {
      const opened = await openMany(options.count, 16, (i) =>
        connectRawWs({
          host: options.host,
          port: options.port,
          path: '/ws/coordinator',
          headers: {
            authorization: `Bearer ${options.sign({ sub: `coord-${i}`, role: 'coordinator', institution: i < options.measuring ? options.measuringInstitution : options.institutions[i % options.institutions.length]! })}`,
          },
          onText: (payload) => onText(i, payload),
          onClose: () => void closed++,
        }),
      );
      sockets.push(...opened);
      sockets.forEach((s, i) => {
        const { west, south, east, north } = options.viewportOf?.(i) ?? options.viewport;
        s.send(JSON.stringify({ type: 'viewport', id: 'vp', west, south, east, north }));
      });
      await waitFor(() => viewportAcks >= sockets.length, { timeoutMs: 30_000, message: `${sockets.length} viewport acks (got ${viewportAcks})` });
    },
    /** Hands measuring viewers' positions to `onPositions` from now on (undefined: stop); meters restart at `startMs`. */
    measure(onPositions: PositionsListener | undefined, startMs = Date.now()): { delivered: RateMeter; bytes: RateMeter } {
      listener = onPositions;
      delivered = createRateMeter(startMs);
      bytes = createRateMeter(startMs);
      return { delivered, bytes };
    },
    stats() {
      return { viewers: sockets.length, measuring: Math.min(options.measuring, sockets.length), positionsFrames: frames, closed };
    },
    close(): void {
      for (const s of sockets) s.destroy();
    },
  };
}

export type MapViewers = ReturnType<typeof createMapViewers>;
