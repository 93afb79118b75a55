import { randomUUID } from 'node:crypto';
import type { LatLng } from '@nursing/contracts';
import type { Assignment, NurseClient } from '@nursing/nurse-client';
import type { SimNurse } from './fleet.ts';
import { pointNear } from './geo-offset.ts';
import { advance, startTrip, type Mover } from './movement.ts';
import { appetite, countRefusal, scaled, type NurseWorld } from './nurse-world.ts';
import { between, exponential, pick, type Rng } from './rng.ts';
import { runVisit, type VisitControl } from './visit.ts';

type Phase = 'offline' | 'idle' | 'claiming' | 'visiting';

/** Simulated minutes a nurse stays online / offline on average. */
const ONLINE_MEAN_MIN = 40;
const OFFLINE_MEAN_MIN = 8;
const DECLINE_REASONS = ['too far from my current location', 'finishing another task', 'not my specialty', 'vehicle unavailable'];
/** The simulation ticks once a second: a fix due a second later must not wait for the tick after. */
const TICK_SLACK_MS = 250;

export interface SimNurseHandle {
  id: string;
  position(): LatLng;
  online(): boolean;
  /** Called every second by the simulation's one ticker. */
  tick(seconds: number): void;
  /** Raises a drill panic alarm; resolves with its id once the gateway stored it (undefined when not raised). */
  raiseDrill(): Promise<string | undefined>;
  /** Goes offline and closes her socket. */
  stop(): Promise<void>;
}

/**
 * One nurse's behaviour: shifts on and off, wandering near home between visits,
 * reporting fixes, answering push offers (accept or decline with a reason) and grab
 * broadcasts, and serving the visits she wins.
 */
export function createSimNurse(world: NurseWorld, nurse: SimNurse, client: NurseClient, start: LatLng, rng: Rng): SimNurseHandle {
  const { options, stats } = world;
  const id = nurse.profile.id;
  const startedAt = world.now();
  const mover: Mover = { at: start, route: [], speedMps: 0, headingDeg: 0 };
  let phase: Phase = 'offline';
  let shiftChangeAt = world.now() + (rng() < 0.85 ? 0 : scaled(world, exponential(rng, OFFLINE_MEAN_MIN * 60)));
  let pausedUntil = 0;
  let nextFixAt = world.now() + rng() * options.locationIntervalS * 1000;
  let visit: VisitControl | undefined;
  /** While an alarm of hers is open the alarms service asks for a fix every `intervalMs` (0: back to normal), as the app does. */
  let followIntervalMs = 0;

  function reportNow(): void {
    client.location({
      lat: mover.at.lat,
      lng: mover.at.lng,
      accuracyM: Math.round(between(rng, 4, 25)),
      headingDeg: Math.round(mover.headingDeg) % 360,
      speedMps: mover.route.length > 0 ? Math.round(mover.speedMps * 10) / 10 : 0,
      atMs: world.now(),
    });
    stats.counters.locationsSent++;
    if (followIntervalMs > 0) {
      stats.counters.followedFixes++;
      nextFixAt = world.now() + Math.max(0, followIntervalMs - TICK_SLACK_MS);
    } else {
      nextFixAt = world.now() + options.locationIntervalS * 1000 * (mover.route.length > 0 ? 1 : 3);
    }
  }

  function setStatus(status: 'available' | 'offline'): void {
    client.status(status).catch((err: unknown) => countRefusal(world, `status.${status}`, err));
  }

  async function serve(assignment: Assignment): Promise<void> {
    if (visit?.orderId === assignment.order.id) return;
    phase = 'visiting';
    visit = { orderId: assignment.order.id, cancelled: false, arrivedSeen: false };
    const completed = await runVisit(world, { client, mover, mode: nurse.mode, rng, reportNow }, visit, assignment.order, assignment.patient);
    visit = undefined;
    if (world.stopping()) return;
    phase = 'idle';
    mover.route = [];
    pausedUntil = world.now() + scaled(world, between(rng, 120, 600));
    // Dispatch makes her available on completion; after an aborted visit she says so herself.
    if (!completed) setStatus('available');
  }

  function claim(what: 'offer.accept' | 'grab', orderId: string, delayMs: number): void {
    phase = 'claiming';
    setTimeout(() => {
      if (world.stopping()) return;
      (what === 'grab' ? client.grab(orderId) : client.accept(orderId)).then(
        (assignment) => {
          if (what === 'grab') stats.counters.grabsWon++;
          else stats.counters.accepts++;
          void serve(assignment);
        },
        (err: unknown) => {
          if (what === 'grab' && countRefusal(world, what, err)) stats.counters.grabsLost++;
          else if (what !== 'grab') countRefusal(world, what, err);
          if (phase === 'claiming') phase = 'idle';
        },
      );
    }, delayMs);
  }

  client.on('offer', (offer) => {
    stats.counters.offersReceived++;
    const thinkMs = Math.min(between(rng, 800, 4_000), Math.max(0, offer.expiresAtMs - world.now()) / 2);
    if (phase === 'idle' && rng() < options.acceptProbability * appetite(offer.distanceMeters)) return claim('offer.accept', offer.orderId, thinkMs);
    const reason = phase !== 'idle' ? 'busy with another visit' : offer.distanceMeters > 5_000 ? 'too far from my current location' : pick(rng, DECLINE_REASONS);
    setTimeout(() => {
      stats.counters.declines++;
      client.decline(offer.orderId, reason).catch((err: unknown) => countRefusal(world, 'offer.decline', err));
    }, thinkMs);
  });
  client.on('broadcast', (broadcast) => {
    stats.counters.broadcastsReceived++;
    if (phase === 'idle' && rng() < options.grabProbability * appetite(broadcast.distanceMeters)) claim('grab', broadcast.orderId, between(rng, 300, 3_000));
  });
  // A coordinator assigned her by hand.
  client.on('assigned', (assigned) => {
    if (visit?.orderId !== assigned.order.id && phase !== 'claiming') void serve(assigned);
  });
  client.on('order.updated', (update) => {
    if (!visit || update.orderId !== visit.orderId) return;
    if (update.state === 'arrived') visit.arrivedSeen = true;
    if (update.state === 'cancelled') visit.cancelled = true;
  });
  client.on('follow', ({ intervalMs }) => {
    followIntervalMs = intervalMs;
    if (intervalMs > 0) nextFixAt = Math.min(nextFixAt, world.now());
  });
  client.on('rejected', ({ frame, error }) => {
    // A fix far from where an interrupted earlier run left her: the gateway refuses it until enough time has passed.
    if (frame.type === 'location' && /impossible speed/.test(error.message) && world.now() - startedAt < 180_000) stats.counters.races++;
    else stats.error(`${frame.type}: ${error.code}`, error.message);
  });
  client.on('error', (error) => {
    if (error.code !== 'CONNECTION') stats.error(`socket: ${error.code}`, error.message);
  });
  client.on('open', ({ reconnected }) => {
    if (reconnected) stats.counters.reconnections++;
  });

  function wander(): void {
    if (world.now() < pausedUntil) return;
    if (mover.route.length === 0) {
      startTrip(mover, pointNear(nurse.home, 1_500, rng), nurse.mode, options.timeScale, options.maxSpeedMps, rng);
    }
  }

  return {
    id,
    position: () => mover.at,
    online: () => phase !== 'offline',
    tick(seconds) {
      if (world.stopping() || !client.connected) return;
      const t = world.now();
      if (phase === 'offline') {
        if (t < shiftChangeAt) return;
        phase = 'idle';
        shiftChangeAt = t + scaled(world, exponential(rng, ONLINE_MEAN_MIN * 60));
        setStatus('available');
        reportNow();
        return;
      }
      if (phase === 'idle' && t >= shiftChangeAt) {
        phase = 'offline';
        mover.route = [];
        shiftChangeAt = t + scaled(world, exponential(rng, OFFLINE_MEAN_MIN * 60));
        setStatus('offline');
        return;
      }
      if (phase === 'idle') wander();
      if (mover.route.length > 0 && advance(mover, seconds) && phase === 'idle') {
        pausedUntil = t + scaled(world, exponential(rng, 180));
      }
      if (t >= nextFixAt) reportNow();
    },
    async raiseDrill() {
      if (!world.alarmFrames || phase === 'offline') return undefined;
      const alarmId = randomUUID();
      try {
        await client.request({ type: 'alarm', alarmId, kind: 'panic', drill: true });
      } catch (err) {
        // A gateway built before the alarm frame answers "unsupported frame": not an error of this run.
        const e = err as { code?: string; message?: string };
        if (e.code === 'VALIDATION_FAILED' && /unsupported frame|unknown type/.test(e.message ?? '')) world.disableAlarms(e.message ?? '');
        else countRefusal(world, 'alarm', err);
        return undefined;
      }
      stats.counters.drillAlarms++;
      return alarmId;
    },
    async stop() {
      if (phase !== 'offline' && client.connected) {
        await Promise.race([client.status('offline').catch(() => undefined), new Promise((r) => setTimeout(r, 2_000))]);
      }
      await client.close();
    },
  };
}
