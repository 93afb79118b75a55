import Type from 'typebox';
import { CommonEnv } from '@nursing/config';

/** Gateway settings. */
export const GatewayEnv = {
  ARRIVAL_RADIUS_M: Type.Integer({ minimum: 10, maximum: 1_000, default: 100, description: 'a nurse this close to the patient has arrived' }),
  DEPARTURE_RADIUS_M: Type.Integer({ minimum: 20, maximum: 5_000, default: 250, description: 'after a visit, a nurse this far from the home has left it (wider than the arrival radius: GPS jitter)' }),
  MAP_FLUSH_MS: Type.Integer({ minimum: 50, maximum: 1_000, default: 100, description: 'how often coalesced positions go to map viewers' }),
  MAP_TILE_URL: Type.String({
    default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    description: "tile URL template of the console's maps; 'none' draws no tiles (offline)",
  }),
  TRAIL_LENGTH: Type.Integer({ minimum: 10, maximum: 100_000, default: 2_000, description: 'positions kept per nurse for replay' }),
};

export const GatewayEnvSchema = Type.Object({ ...CommonEnv, ...GatewayEnv });
export type GatewayConfig = Type.Static<typeof GatewayEnvSchema>;
