import type { FastifyInstance } from 'fastify';

/**
 * One service's part of a process: its routes plus background work (subscriptions,
 * timers). A process hosts one module in production and all three in `npm start`.
 */
export interface ServiceModule {
  name: string;
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Starts background work once the HTTP app is ready. */
  start?: () => Promise<void>;
  /** Stops taking new work and finishes or hands over what is in flight. */
  stop?: () => Promise<void>;
  /** Short text for the API docs. */
  description?: string;
}
