import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import {
  COORDINATOR_CLIENT_FRAMES,
  ValidationError,
  WS_CLOSE,
  type CoordinatorClientFrame,
  type MapPosition,
  type NursePosition,
  type PositionsFrame,
  type SnapshotFrame,
  type ViewportFrame,
} from '@nursing/contracts';
import { coarseCellsInBBox, type BBox } from '@nursing/geo';
import type { GatewayContext } from '../gateway-context.ts';
import { compileFrames, readFrames } from '../sockets/frame-reader.ts';
import { sendAck, sendFrame, sendRaw } from '../sockets/send-frame.ts';
import { socketClaims } from '../sockets/socket-auth.ts';
import { inBox, toMapPosition } from './map-position.ts';

const frames = compileFrames(COORDINATOR_CLIENT_FRAMES);
const decoder = new TextDecoder();

/** Above this much unsent data a flush is skipped: positions conflate and the latest goes next time. */
export const SLOW_CLIENT_BYTES = 1024 * 1024;
/** Above this the client is not keeping up at all and is closed (4408). */
export const TOO_SLOW_BYTES = 8 * 1024 * 1024;

/**
 * `/ws/coordinator`: a coordinator's live map. The viewport decides which coarse
 * cells this instance listens to; positions inside the box are coalesced per nurse
 * and sent every MAP_FLUSH_MS as one `positions` frame. Order events of the
 * coordinator's institution (every institution for admins) are forwarded as they come.
 */
export function coordinatorSocketHandler(ctx: GatewayContext) {
  const { nc, subjects, cellHub, institutions, presence, heartbeat, log, now, config } = ctx;

  return (socket: WebSocket, request: FastifyRequest): void => {
    const claims = socketClaims(request);
    const viewerInstitution = claims.role === 'admin' ? null : (claims.institution ?? '');
    ctx.sockets.add(socket);
    heartbeat.track(socket);

    let box: BBox | undefined;
    let cells = new Set<string>();
    const pending = new Map<string, MapPosition>();

    const place = (p: NursePosition, nurseInstitution: string | null): void => {
      if (!box || !inBox(p, box)) return;
      const position = toMapPosition(p, nurseInstitution, viewerInstitution);
      const queued = pending.get(position.nurseId);
      if (queued && queued.atMs > position.atMs) return;
      pending.set(position.nurseId, position);
    };
    const onPosition = (p: NursePosition): void => {
      if (!box || !inBox(p, box)) return;
      const institution = institutions.get(p.nurseId);
      if (institution instanceof Promise) {
        institution.then((i) => place(p, i)).catch((err: unknown) => log.warn({ err }, 'nurse institution lookup failed'));
      } else {
        place(p, institution);
      }
    };

    const flushTimer = setInterval(() => {
      if (pending.size === 0) return;
      if (socket.bufferedAmount > TOO_SLOW_BYTES) {
        socket.close(WS_CLOSE.TOO_SLOW, 'too slow');
        return;
      }
      if (socket.bufferedAmount > SLOW_CLIENT_BYTES) return;
      const frame: PositionsFrame = { type: 'positions', nurses: [...pending.values()] };
      pending.clear();
      sendFrame(socket, frame);
    }, config.MAP_FLUSH_MS);

    const orderEvents = nc.subscribe(viewerInstitution === null ? subjects.allOrderEvents : subjects.institutionOrders(viewerInstitution), {
      callback: (err, msg) => {
        if (!err) sendRaw(socket, decoder.decode(msg.data));
      },
    });

    async function onViewport(frame: ViewportFrame): Promise<void> {
      const next: BBox = { west: frame.west, south: frame.south, east: frame.east, north: frame.north };
      let nextCells: Set<string>;
      try {
        nextCells = coarseCellsInBBox(next);
      } catch (err) {
        throw new ValidationError(`invalid viewport: ${(err as Error).message}`);
      }
      for (const cell of nextCells) if (!cells.has(cell)) cellHub.watch(cell, onPosition);
      for (const cell of cells) if (!nextCells.has(cell)) cellHub.unwatch(cell, onPosition);
      cells = nextCells;
      box = next;
      for (const [id, p] of pending) if (!inBox(p, next)) pending.delete(id);
      await cellHub.flush();
      await sendSnapshot(next);
      sendAck(socket, 'viewport', frame.id, { cells: cells.size });
    }

    async function sendSnapshot(snapshotBox: BBox): Promise<void> {
      // Reads every shard; fine for a city, to be replaced by a geo query when it is not.
      const all = await presence.loadAllPositions();
      const nurses: MapPosition[] = [];
      for (const p of all.values()) {
        if (!inBox(p, snapshotBox)) continue;
        nurses.push(toMapPosition(p, await institutions.get(p.nurseId), viewerInstitution));
      }
      if (box !== snapshotBox) return; // a newer viewport arrived meanwhile; its snapshot follows
      const frame: SnapshotFrame = { type: 'snapshot', nurses };
      sendFrame(socket, frame);
    }

    readFrames<CoordinatorClientFrame>({
      socket,
      frames,
      log,
      now,
      onFrame: async (frame) => {
        if (frame.type === 'viewport') return onViewport(frame);
        sendFrame(socket, frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id });
      },
    });

    socket.on('close', () => {
      clearInterval(flushTimer);
      for (const cell of cells) cellHub.unwatch(cell, onPosition);
      cells.clear();
      orderEvents.unsubscribe();
      ctx.sockets.delete(socket);
    });
  };
}
