import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsSubjects } from '@nursing/contracts';
import { openSocket, startGatewayTestEnv, type GatewayTestEnv } from '../harness.ts';

describe('security socket', () => {
  let env: GatewayTestEnv;
  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
  });
  afterAll(() => env?.close());

  it('forwards alarm events of every institution as they are published', async () => {
    const desk = await openSocket(`${env.gateways[0]!.wsUrl}/ws/security`, env.tokens.security());
    const alarm = { type: 'alarm.event', alarmId: 'a-1', institutionId: 'inst-z', state: 'raised' };
    const subject = natsSubjects(env.ns).alarmEvent('inst-z', 'a-1');
    // The desk's subscription reaches the NATS server asynchronously: publish until it has it.
    const publisher = setInterval(() => env.nc.publish(subject, new TextEncoder().encode(JSON.stringify(alarm))), 50);
    try {
      expect(await desk.next((f) => f.type === 'alarm.event')).toEqual(alarm);
    } finally {
      clearInterval(publisher);
      desk.close();
    }
  });
});
