import type { FastifyRequest } from 'fastify';
import { WebSocket } from 'ws';
import {
  COORDINATOR_CLIENT_FRAMES,
  ValidationError,
  type CoordinatorClientFrame,
  type MapPosition,
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
import type { MapViewer } from './map-feed.ts';
import { forwardAlarmsToCoordinator } from '../alarms/coordinator-alarms.ts';

const frames = compileFrames(COORDINATOR_CLIENT_FRAMES);
const decoder = new TextDecoder();

/**
 * `/ws/coordinator`: a coordinator's live map. The viewport decides which coarse
 * cells this instance listens to; the instance's map feed coalesces positions per nurse
 * and sends every MAP_FLUSH_MS one `positions` frame of what moved inside the box.
 * Order events of the coordinator's institution (every institution for admins) are
 * forwarded as they come.
 */
export function coordinatorSocketHandler(ctx: GatewayContext) {
  const { nc, subjects, cellHub, mapFeed, statusHub, institutions, presence, heartbeat, log, now, config } = ctx;

  return (socket: WebSocket, request: FastifyRequest): void => {
    const claims = socketClaims(request);
    const viewerInstitution = claims.role === 'admin' ? null : (claims.institution ?? '');
    ctx.sockets.add(socket, 'coordinator');
    heartbeat.track(socket);

    // A slow map gets the latest of everything when it catches up, never a growing backlog.
    const guard = createSlowClientGuard(socket, ctx.slowClient, now);
    const viewer: MapViewer = {
      box: undefined,
      institution: viewerInstitution,
      canSend: () => guard.canSend(),
      send: (frame) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(frame, { binary: false });
      },
    };

    // Order events held back while the map is slow: only the latest per order (the subject ends with the order id).
    const heldOrderEvents = new Map<string, string>();
    let retryTimer: NodeJS.Timeout | undefined;
    const sendHeld = (): void => {
      retryTimer = undefined;
      if (!guard.canSend()) {
        retryTimer = setTimeout(sendHeld, config.MAP_FLUSH_MS);
        return;
      }
      for (const text of heldOrderEvents.values()) sendRaw(socket, text);
      heldOrderEvents.clear();
    };
    const orderEvents = nc.subscribe(viewerInstitution === null ? subjects.allOrderEvents : subjects.institutionOrders(viewerInstitution), {
      callback: (err, msg) => {
        if (err) return;
        const text = decoder.decode(msg.data);
        if (heldOrderEvents.size === 0 && guard.canSend()) return sendRaw(socket, text);
        heldOrderEvents.set(msg.subject, text);
        retryTimer ??= setTimeout(sendHeld, config.MAP_FLUSH_MS);
      },
    });

    const alarmEvents = forwardAlarmsToCoordinator(ctx, socket, viewerInstitution);

    async function onViewport(frame: ViewportFrame): Promise<void> {
      const next: BBox = { west: frame.west, south: frame.south, east: frame.east, north: frame.north };
      let cells: Set<string>;
      try {
        cells = coarseCellsInBBox(next);
      } catch (err) {
        throw new ValidationError(`invalid viewport: ${(err as Error).message}`);
      }
      viewer.box = next;
      const watching = mapFeed.watch(viewer, cells);
      await cellHub.flush();
      if (await sendSnapshot(next)) watching.ready();
      sendAck(socket, 'viewport', frame.id, { cells: cells.size });
    }

    /** False when a newer viewport arrived meanwhile (its own snapshot follows). */
    async function sendSnapshot(snapshotBox: BBox): Promise<boolean> {
      // Reads every shard; fine for a city, to be replaced by a geo query when it is not.
      const [all, statuses] = await Promise.all([presence.loadAllPositions(), presence.loadAllPresence()]);
      for (const s of statuses.values()) statusHub.learn(s);
      const nurses: MapPosition[] = [];
      for (const p of all.values()) {
        if (!inBox(p, snapshotBox)) continue;
        const institution = await institutions.get(p.nurseId);
        mapFeed.remember(p, institution);
        nurses.push(toMapPosition(p, institution, viewerInstitution, statusHub.statusOf(p.nurseId)));
      }
      if (viewer.box !== snapshotBox) return false;
      const frame: SnapshotFrame = { type: 'snapshot', nurses };
      sendFrame(socket, frame);
      return true;
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
      clearTimeout(retryTimer);
      mapFeed.leave(viewer);
      orderEvents.unsubscribe();
      alarmEvents.unsubscribe();
    });
  };
}
