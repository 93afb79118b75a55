import Type from 'typebox';
import { Id } from './common.ts';
import { Completion } from './order.ts';
import { VISIT_STEPS, NurseInboxMessage, OrderEvent } from './dispatch-messages.ts';
import { AvailabilitySchema, LocationReport } from './presence.ts';
import { AlarmEvent, AlarmPositionFrame, AlarmRaise, AlarmsSnapshotFrame, WelfareCheckin } from './alarm.ts';

/**
 * WebSocket frames of the gateway's sockets (`/ws/nurse`, `/ws/coordinator`,
 * `/ws/security`). Every frame is a JSON object with a `type`. A client may put an
 * `id` on any frame it sends; the `ack` or `error` answering it carries the same id.
 */
export const FrameId = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer()], {
  description: 'chosen by the client, echoed in the ack or error that answers the frame',
});

const clientFrame = <P extends Record<string, Type.TSchema>, T extends string>(type: T, properties: P) =>
  Type.Object({ type: Type.Literal(type), id: Type.Optional(FrameId), ...properties }, { additionalProperties: false });

// ---- nurse app -> gateway ----
/** A position fix: the fields of LocationReport (same ranges) plus the frame's type and id. */
export const LocationFrame = clientFrame('location', LocationReport.properties);
export const StatusFrame = clientFrame('status', { status: AvailabilitySchema });
export const OfferAcceptFrame = clientFrame('offer.accept', { orderId: Id });
export const OfferDeclineFrame = clientFrame('offer.decline', { orderId: Id, reason: Type.String({ minLength: 1, maxLength: 200 }) });
export const GrabFrame = clientFrame('grab', { orderId: Id });
export const ProgressFrame = clientFrame('progress', {
  orderId: Id,
  step: Type.Enum(VISIT_STEPS),
  identityConfirmed: Type.Optional(Type.Boolean()),
  completion: Type.Optional(Completion),
});
export const PingFrame = clientFrame('ping', {});
/** Panic button: acknowledged only once the alarm is durably stored; resend with the same alarmId until acked. */
export const AlarmFrame = clientFrame('alarm', AlarmRaise.properties);
/** "I am fine": pushes the welfare deadline of the visit back. */
export const CheckinFrame = clientFrame('checkin', WelfareCheckin.properties);

// ---- coordinator map -> gateway ----
/** The box the map shows; positions inside it are streamed to this socket. */
export const ViewportFrame = clientFrame('viewport', {
  west: Type.Number({ minimum: -180, maximum: 180 }),
  south: Type.Number({ minimum: -90, maximum: 90 }),
  east: Type.Number({ minimum: -180, maximum: 180 }),
  north: Type.Number({ minimum: -90, maximum: 90 }),
});

/**
 * Client frames by type, per socket. The gateway looks the type up first and then
 * checks that one schema, so an error names the field at fault instead of "matches no
 * member of the union".
 */
export const NURSE_CLIENT_FRAMES = {
  location: LocationFrame,
  status: StatusFrame,
  'offer.accept': OfferAcceptFrame,
  'offer.decline': OfferDeclineFrame,
  grab: GrabFrame,
  progress: ProgressFrame,
  alarm: AlarmFrame,
  checkin: CheckinFrame,
  ping: PingFrame,
} as const;
export const COORDINATOR_CLIENT_FRAMES = { viewport: ViewportFrame, ping: PingFrame } as const;
export const SECURITY_CLIENT_FRAMES = { ping: PingFrame } as const;

export const NurseClientFrame = Type.Union([
  LocationFrame,
  StatusFrame,
  OfferAcceptFrame,
  OfferDeclineFrame,
  GrabFrame,
  ProgressFrame,
  AlarmFrame,
  CheckinFrame,
  PingFrame,
]);
export type NurseClientFrame = Type.Static<typeof NurseClientFrame>;
export const CoordinatorClientFrame = Type.Union([ViewportFrame, PingFrame]);
export type CoordinatorClientFrame = Type.Static<typeof CoordinatorClientFrame>;
export type LocationFrame = Type.Static<typeof LocationFrame>;
export type AlarmFrame = Type.Static<typeof AlarmFrame>;
export type ViewportFrame = Type.Static<typeof ViewportFrame>;

// ---- gateway -> clients ----
export const AckFrame = Type.Object({
  type: Type.Literal('ack'),
  id: Type.Optional(FrameId),
  of: Type.String({ description: 'type of the frame acknowledged' }),
  ok: Type.Literal(true),
  result: Type.Optional(Type.Unknown()),
});
export type AckFrame = Type.Static<typeof AckFrame>;

/** A refused frame or failed request; `code` is one of the stable error codes (or dispatch's). */
export const ErrorFrame = Type.Object({
  type: Type.Literal('error'),
  id: Type.Optional(FrameId),
  code: Type.String(),
  message: Type.String(),
});
export type ErrorFrame = Type.Static<typeof ErrorFrame>;

export const PongFrame = Type.Object({ type: Type.Literal('pong'), id: Type.Optional(FrameId) });

/**
 * One nurse on a coordinator's map. Nurses of other institutions appear under an
 * anonymous id (`anon-` + 8 hex), stable for that viewer's institution, with no name.
 */
export const MapPosition = Type.Object({
  nurseId: Type.String({ description: 'the nurse id, or anon-xxxxxxxx for nurses of other institutions' }),
  lat: Type.Number(),
  lng: Type.Number(),
  atMs: Type.Integer(),
  status: Type.Optional(AvailabilitySchema),
});
export type MapPosition = Type.Static<typeof MapPosition>;

/** Coalesced: only the latest position of each nurse that moved since the last frame. */
export const PositionsFrame = Type.Object({ type: Type.Literal('positions'), nurses: Type.Array(MapPosition) });
/** Everything known inside a new viewport, sent when the viewport changes. */
export const SnapshotFrame = Type.Object({ type: Type.Literal('snapshot'), nurses: Type.Array(MapPosition) });
export type PositionsFrame = Type.Static<typeof PositionsFrame>;
export type SnapshotFrame = Type.Static<typeof SnapshotFrame>;

/** What the nurse app receives: answers to its frames plus dispatch's inbox messages as they are. */
export const NurseServerFrame = Type.Union([AckFrame, ErrorFrame, PongFrame, NurseInboxMessage]);
export type NurseServerFrame = Type.Static<typeof NurseServerFrame>;
/** What a coordinator's map receives. */
export const CoordinatorServerFrame = Type.Union([AckFrame, ErrorFrame, PongFrame, PositionsFrame, SnapshotFrame, OrderEvent, AlarmEvent]);
export type CoordinatorServerFrame = Type.Static<typeof CoordinatorServerFrame>;
/** What a security desk receives: open alarms first, then alarm events and alarming nurses' positions. */
export const SecurityServerFrame = Type.Union([AckFrame, ErrorFrame, PongFrame, AlarmsSnapshotFrame, AlarmEvent, AlarmPositionFrame]);
export type SecurityServerFrame = Type.Static<typeof SecurityServerFrame>;

/** Close codes of the gateway's sockets (4000-4999 are the application's). */
export const WS_CLOSE = {
  GOING_AWAY: 1001,
  TOO_MANY_INVALID: 4400,
  TOO_SLOW: 4408,
  RATE_LIMITED: 4429,
} as const;
