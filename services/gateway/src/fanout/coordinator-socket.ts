import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import {
  COORDINATOR_CLIENT_FRAMES,
  ValidationError,
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
import { createSlowClientGuard } from '../sockets/slow-client-guard.ts';
import { socketClaims } from '../sockets/socket-auth.ts';
import { inBox, toMapPosition } from './map-position.ts';
import { forwardAlarmsToCoordinator } from '../alarms/coordinator-alarms.ts';

const frames = compileFrames(COORDINATOR_CLIENT_FRAMES);
const decoder = new TextDecoder();

/**
 * `/ws/coordinator`: a coordinator's live map. The viewport decides which coarse
 * cells this instance listens to; positions inside the box are coalesced per nurse
 * and sent every MAP_FLUSH_MS as one `positions` frame. Order events of the
 * coordinator's institution (every institution for admins) are forwarded as they come.
 */
export function coordinatorSocketHandler(ctx: GatewayContext) {
  const { nc, subjects, cellHub, statusHub, institutions, presence, heartbeat, log, now, config } = ctx;

  return (socket: WebSocket, request: FastifyRequest): void => {
    const claims = socketClaims(request);
    const viewerInstitution = claims.role === 'admin' ? null : (claims.institution ?? '');
    ctx.sockets.add(socket, 'coordinator');
    heartbeat.track(socket);

    let box: BBox | undefined;
    let cells = new Set<string>();
    const pending = new Map<string, MapPosition>();

    // Nurses this map shows, by real id, so a status change alone can re-send her marker.
    const shown = new Map<string, { p: NursePosition; institution: string | null }>();

    const place = (p: NursePosition, nurseInstitution: string | null): void => {
      if (!box || !inBox(p, box)) return;
      const position = toMapPosition(p, nurseInstitution, viewerInstitution, statusHub.statusOf(p.nurseId));
      const queued = pending.get(position.nurseId);
      if (queued && queued.atMs > position.atMs) return;
      pending.set(position.nurseId, position);
      shown.set(p.nurseId, { p, institution: nurseInstitution });
    };
    const stopStatus = statusHub.listen((change) => {
      const on = shown.get(change.nurseId);
      if (!on || !box || !inBox(on.p, box)) return;
      const position = toMapPosition(on.p, on.institution, viewerInstitution, change.status);
      pending.set(position.nurseId, { ...(pending.get(position.nurseId) ?? position), status: change.status });
    });
    const onPosition = (p: NursePosition): void => {
      if (!box || !inBox(p, box)) return;
      const institution = institutions.get(p.nurseId);
      if (institution instanceof Promise) {
        institution.then((i) => place(p, i)).catch((err: unknown) => log.warn({ err }, 'nurse institution lookup failed'));
      } else {
        place(p, institution);
      }
    };

    // A slow map gets the latest of everything when it catches up, never a growing backlog.
    const guard = createSlowClientGuard(socket, ctx.slowClient, now);
    const heldOrderEvents = new Map<string, string>();
    const flushTimer = setInterval(() => {
      if ((pending.size === 0 && heldOrderEvents.size === 0) || !guard.canSend()) return;
      for (const text of heldOrderEvents.values()) sendRaw(socket, text);
      heldOrderEvents.clear();
      if (pending.size === 0) return;
      const frame: PositionsFrame = { type: 'positions', nurses: [...pending.values()] };
      pending.clear();
      sendFrame(socket, frame);
    }, config.MAP_FLUSH_MS);

    const orderEvents = nc.subscribe(viewerInstitution === null ? subjects.allOrderEvents : subjects.institutionOrders(viewerInstitution), {
      callback: (err, msg) => {
        if (err) return;
        const text = decoder.decode(msg.data);
        // Held back, only the latest event per order is kept (the subject ends with the order id).
        if (heldOrderEvents.size > 0 || !guard.canSend()) heldOrderEvents.set(msg.subject, text);
        else sendRaw(socket, text);
      },
    });

    const alarmEvents = forwardAlarmsToCoordinator(ctx, socket, viewerInstitution);

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
      for (const [id, on] of shown) if (!inBox(on.p, next)) shown.delete(id);
      await cellHub.flush();
      await sendSnapshot(next);
      sendAck(socket, 'viewport', frame.id, { cells: cells.size });
    }

    async function sendSnapshot(snapshotBox: BBox): Promise<void> {
      // Reads every shard; fine for a city, to be replaced by a geo query when it is not.
      const [all, statuses] = await Promise.all([presence.loadAllPositions(), presence.loadAllPresence()]);
      for (const s of statuses.values()) statusHub.learn(s);
      const nurses: MapPosition[] = [];
      for (const p of all.values()) {
        if (!inBox(p, snapshotBox)) continue;
        const institution = await institutions.get(p.nurseId);
        shown.set(p.nurseId, { p, institution });
        nurses.push(toMapPosition(p, institution, viewerInstitution, statusHub.statusOf(p.nurseId)));
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
      stopStatus();
      for (const cell of cells) cellHub.unwatch(cell, onPosition);
      cells.clear();
      orderEvents.unsubscribe();
      alarmEvents.unsubscribe();
    });
  };
}
