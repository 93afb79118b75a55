import type { LiveSocket, SocketFrame, SocketState } from '../shared/live-socket.ts';
import type { FromLiveWorker, ToLiveWorker } from './live-protocol.ts';

/** Served by the gateway next to coordinator.js (services/gateway/src/console/console-bundle.ts). */
const WORKER_URL = '/console/live-worker.js';

type Handler<T extends FromLiveWorker['type']> = (message: Extract<FromLiveWorker, { type: T }>) => void;

/** The page's end of the live-layer worker: typed messages both ways. */
export interface LiveWorker {
  post(message: ToLiveWorker): void;
  on<T extends FromLiveWorker['type']>(type: T, handler: Handler<T>): void;
}

export function startLiveWorker(): LiveWorker {
  const worker = new Worker(WORKER_URL, { name: 'live-layer' });
  const handlers = new Map<string, (message: FromLiveWorker) => void>();
  worker.addEventListener('message', (event: MessageEvent<FromLiveWorker>) => handlers.get(event.data.type)?.(event.data));
  // A worker's uncaught errors do not reach the page's own error reporting.
  worker.addEventListener('error', (event) => console.error(`live layer worker: ${event.message}`));
  return {
    post: (message) => worker.postMessage(message),
    on: (type, handler) => void handlers.set(type, handler as (message: FromLiveWorker) => void),
  };
}

/**
 * The gateway socket held by the worker, seen from the page: frames other than
 * positions arrive here already parsed (positions stay in the worker), and frames
 * sent go out through it. Same options as openLiveSocket.
 */
export function openWorkerSocket(
  worker: LiveWorker,
  options: { path: string; token: () => string; onFrame: (frame: SocketFrame) => void; onOpen?: () => void; onState?: (state: SocketState) => void },
): Pick<LiveSocket, 'send' | 'state'> {
  let state: SocketState = 'connecting';
  worker.on('socket', (m) => {
    state = m.state;
    options.onState?.(m.state);
    if (m.state === 'open') options.onOpen?.();
  });
  worker.on('frame', (m) => options.onFrame(m.frame));
  worker.post({ type: 'connect', path: options.path, token: options.token() });
  return {
    send: (frame) => worker.post({ type: 'send', frame }),
    get state() {
      return state;
    },
  };
}
