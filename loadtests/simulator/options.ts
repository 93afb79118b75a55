import { parseArgs } from 'node:util';

export interface SimOptions {
  baseUrl: string;
  nurses: number;
  institutions: number;
  ordersPerMinute: number;
  /** Seconds to run; 0 runs until Ctrl-C. */
  durationS: number;
  /** Simulated seconds per real second for visits, pauses and shifts; movement too, up to maxSpeedMps. */
  timeScale: number;
  maxSpeedMps: number;
  /** Radius around the city centre where institutions, nurses and patients are, km. */
  spreadKm: number;
  locationIntervalS: number;
  grabShare: number;
  acceptProbability: number;
  grabProbability: number;
  drillAlarmsPerMinute: number;
  /** Seconds after which the simulated security officer acknowledges a drill (then resolves it); 0: never. */
  drillHandledAfterS: number;
  /** Sockets opened per second at start. */
  connectPerSecond: number;
  maxErrors: number;
  reportEveryS: number;
  seed: number;
  /** Id prefix of everything the simulator registers. */
  prefix: string;
  /** Where nurses' last positions are kept between runs ('' for none). */
  stateFile: string;
}

export const DEFAULTS: SimOptions = {
  baseUrl: 'http://127.0.0.1:8080',
  nurses: 500,
  institutions: 6,
  ordersPerMinute: 30,
  durationS: 120,
  timeScale: 1,
  maxSpeedMps: 30,
  spreadKm: 8,
  locationIntervalS: 5,
  grabShare: 0.4,
  acceptProbability: 0.8,
  grabProbability: 0.5,
  drillAlarmsPerMinute: 0.5,
  drillHandledAfterS: 60,
  connectPerSecond: 200,
  maxErrors: 10,
  reportEveryS: 5,
  seed: 1,
  prefix: 'sim',
  stateFile: '.data/simulator-positions.json',
};

/** `--demo`: a small fleet at 60x speed, until Ctrl-C, so the map moves at once and visits finish in minutes. */
export const DEMO: Partial<SimOptions> = { nurses: 200, ordersPerMinute: 20, timeScale: 60, durationS: 0, locationIntervalS: 2, spreadKm: 5 };

const FLAGS: Record<keyof SimOptions, string> = {
  baseUrl: 'base-url',
  nurses: 'nurses',
  institutions: 'institutions',
  ordersPerMinute: 'orders-per-minute',
  durationS: 'duration',
  timeScale: 'time-scale',
  maxSpeedMps: 'max-speed',
  spreadKm: 'spread-km',
  locationIntervalS: 'location-interval',
  grabShare: 'grab-share',
  acceptProbability: 'accept-probability',
  grabProbability: 'grab-probability',
  drillAlarmsPerMinute: 'drill-alarms-per-minute',
  drillHandledAfterS: 'drill-handled-after',
  connectPerSecond: 'connect-per-second',
  maxErrors: 'max-errors',
  reportEveryS: 'report-every',
  seed: 'seed',
  prefix: 'prefix',
  stateFile: 'state-file',
};

const HELP: Record<keyof SimOptions, string> = {
  baseUrl: 'the system to drive (npm start prints it)',
  nurses: 'nurses in the fleet (some are deliberately not eligible)',
  institutions: 'hospitals and community health centres, each with a coordinator',
  ordersPerMinute: 'orders created per minute, across all institutions',
  durationS: 'seconds to run; 0 = until Ctrl-C',
  timeScale: 'simulated seconds per real second (visits, pauses, shifts, movement)',
  maxSpeedMps: 'top movement speed in m/s after scaling (the gateway refuses > 70 m/s)',
  spreadKm: 'radius around the city centre (Shanghai, 31.2304 N 121.4737 E), km',
  locationIntervalS: 'seconds between position reports of a moving nurse',
  grabShare: 'share of orders in grab mode (the rest push)',
  acceptProbability: 'chance a nurse accepts a push offer',
  grabProbability: 'chance a nurse tries to grab a broadcast',
  drillAlarmsPerMinute: 'drill panic alarms per minute across the fleet (skipped if the gateway has no alarm frame)',
  drillHandledAfterS: 'seconds after which a simulated security officer acknowledges a drill and then resolves it; 0 = leave them to the desk',
  connectPerSecond: 'nurse sockets opened per second at start',
  maxErrors: 'exit non-zero when more errors than this',
  reportEveryS: 'seconds between progress lines',
  seed: 'fleet seed: the same seed gives the same nurses',
  prefix: 'prefix of the ids registered',
  stateFile: "file keeping nurses' last positions between runs ('' for none)",
};

export function helpText(): string {
  const lines = (Object.keys(FLAGS) as (keyof SimOptions)[]).map((k) => `  --${FLAGS[k].padEnd(24)} ${HELP[k]} (default ${JSON.stringify(DEFAULTS[k])})`);
  return [
    'usage: npm run simulate -- [--demo] [options]',
    '',
    'Registers institutions and a fleet of nurses, connects every nurse to the gateway, moves them',
    'around Shanghai, and has coordinators create orders that the nurses accept, grab and serve.',
    '',
    `  --demo                     preset: ${JSON.stringify(DEMO)}`,
    ...lines,
    '  --help                     this text',
  ].join('\n');
}

/** Parses argv; throws an Error with a message naming the bad flag. */
export function parseOptions(argv: string[]): { help: true } | { help: false; options: SimOptions } {
  const spec: Record<string, { type: 'string' | 'boolean' }> = { demo: { type: 'boolean' }, help: { type: 'boolean' } };
  for (const flag of Object.values(FLAGS)) spec[flag] = { type: 'string' };
  const { values } = parseArgs({ args: argv, options: spec, allowPositionals: false, strict: true });
  if (values['help']) return { help: true };
  const options: SimOptions = { ...DEFAULTS, ...(values['demo'] ? DEMO : {}) };
  for (const key of Object.keys(FLAGS) as (keyof SimOptions)[]) {
    const raw = values[FLAGS[key]];
    if (typeof raw !== 'string') continue;
    if (typeof DEFAULTS[key] === 'string') {
      (options as unknown as Record<string, string>)[key] = raw;
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${FLAGS[key]} must be a number >= 0 (got ${JSON.stringify(raw)})`);
    (options as unknown as Record<string, number>)[key] = n;
  }
  if (options.nurses < 1 || options.institutions < 1) throw new Error('--nurses and --institutions must be at least 1');
  if (options.timeScale <= 0) throw new Error('--time-scale must be > 0');
  if (options.maxSpeedMps > 60) throw new Error('--max-speed must be at most 60 m/s (the gateway refuses fixes implying more than 70)');
  for (const p of ['grabShare', 'acceptProbability', 'grabProbability'] as const) {
    if (options[p] > 1) throw new Error(`--${FLAGS[p]} is a probability between 0 and 1`);
  }
  return { help: false, options };
}
