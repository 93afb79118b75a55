import Type from 'typebox';

/** Ids are used inside NATS subjects and Redis hash tags, hence no dots, braces or spaces. */
export const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'letters, digits, _ and -; 1-64 chars' });

/** A position. Note the order: this object is (lat, lng); turf wants [lng, lat]. */
export const LatLng = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'degrees north' }),
    lng: Type.Number({ minimum: -180, maximum: 180, description: 'degrees east' }),
  },
  { additionalProperties: false },
);
export type LatLng = Type.Static<typeof LatLng>;

/** RFC 3339 timestamp, e.g. 2026-11-23T08:00:00Z. */
export const Timestamp = Type.String({ format: 'date-time' });

/** Calendar day, e.g. 2027-06-30. */
export const Day = Type.String({ format: 'date' });

export const ErrorReply = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
