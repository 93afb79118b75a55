import { EARTH_RADIUS_M, RADIANS_PER_DEGREE } from './distance.ts';

/** An axis-aligned latitude/longitude box in decimal degrees; `west <= east` (no antimeridian crossing). */
export type BBox = {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
};

/**
 * Throws a RangeError unless the box is finite, inside the world and ordered.
 * Boxes crossing the antimeridian (west > east) are rejected rather than guessed
 * at: split them into two boxes at 180 degrees.
 */
export function assertValidBBox(box: BBox): void {
  const { west, south, east, north } = box;
  if (![west, south, east, north].every(Number.isFinite)) {
    throw new RangeError(`bbox has a non-finite edge: ${JSON.stringify(box)}`);
  }
  if (south < -90 || north > 90 || south > north) {
    throw new RangeError(`bbox needs -90 <= south <= north <= 90: ${JSON.stringify(box)}`);
  }
  if (west < -180 || east > 180) {
    throw new RangeError(`bbox needs -180 <= west, east <= 180: ${JSON.stringify(box)}`);
  }
  if (west > east) {
    throw new RangeError(
      `bbox crosses the antimeridian (west > east), split it at 180: ${JSON.stringify(box)}`,
    );
  }
}

/** Area of the box on the sphere of {@link EARTH_RADIUS_M}, in square metres. */
export function bboxAreaSquareMeters(box: BBox): number {
  const widthRad = (box.east - box.west) * RADIANS_PER_DEGREE;
  const bandHeight =
    Math.sin(box.north * RADIANS_PER_DEGREE) - Math.sin(box.south * RADIANS_PER_DEGREE);
  return EARTH_RADIUS_M * EARTH_RADIUS_M * widthRad * bandHeight;
}

/**
 * A lower bound in metres on the great-circle distance from (latRad, lngRad) to any
 * point of the box; 0 when the point is inside. Two independent bounds, the larger
 * one wins:
 * - latitude: no path between two points is shorter than their latitude difference;
 * - longitude: a box at most 180 degrees wide lies wholly on one side of the plane
 *   of its east (or west) meridian, so a point strictly on the other side is at
 *   least its distance to that great circle away, asin(cos(lat) * sin(dLng)).
 * The box's own edges are lines of constant lat/lng, which is exactly what the
 * comparisons below test, so the bound needs no assumption about how edges curve.
 */
export function bboxDistanceLowerBoundMeters(box: BBox, latRad: number, lngRad: number): number {
  const lat = latRad / RADIANS_PER_DEGREE;
  const lng = lngRad / RADIANS_PER_DEGREE;
  const latGapDeg = lat > box.north ? lat - box.north : lat < box.south ? box.south - lat : 0;
  let lowerBoundRad = latGapDeg * RADIANS_PER_DEGREE;

  if (box.east - box.west <= 180 && (lng < box.west || lng > box.east)) {
    const cosLat = Math.cos(latRad);
    for (const dLngDeg of [positiveModulo(lng - box.east, 360), positiveModulo(box.west - lng, 360)]) {
      if (dLngDeg > 0 && dLngDeg < 180) {
        const planeRad = Math.asin(Math.min(1, cosLat * Math.sin(dLngDeg * RADIANS_PER_DEGREE)));
        if (planeRad > lowerBoundRad) lowerBoundRad = planeRad;
      }
    }
  }
  return lowerBoundRad * EARTH_RADIUS_M;
}

function positiveModulo(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
