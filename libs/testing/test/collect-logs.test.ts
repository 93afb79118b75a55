import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { collectLogs } from '../src/index.ts';

describe('collectLogs', () => {
  it('captures what a pino logger wrote, synchronously', () => {
    const logs = collectLogs();
    const log = pino({ level: 'debug', base: undefined }, logs.stream);
    log.info({ visitId: 'v1' }, 'visit assigned');
    log.debug('details');

    expect(logs.lines()).toMatchObject([
      { level: 30, visitId: 'v1', msg: 'visit assigned' },
      { level: 20, msg: 'details' },
    ]);
    expect(logs.text()).toContain('"msg":"visit assigned"');
  });

  it('says so when a line is not JSON', () => {
    const logs = collectLogs();
    logs.stream.write('plain text\n');
    expect(() => logs.lines()).toThrow(/not a JSON log line/);
  });
});
