import { describe, expect, it } from 'vitest';
import { useSharedInfra } from '@nursing/testing';
import { createTokenSigner } from '@nursing/auth';
import { openSocket, startGatewayTestApp, TEST_JWT_SECRET } from '../harness.ts';

describe('gateway shutdown', () => {
  it('closes open sockets when the app closes', async () => {
    const infra = await useSharedInfra();
    const gateway = await startGatewayTestApp(infra);
    try {
      const token = createTokenSigner(TEST_JWT_SECRET)({ sub: 'n-bye', role: 'nurse', institution: 'inst-a' });
      const nurse = await openSocket(`${gateway.wsUrl}/ws/nurse`, token);
      await gateway.close();
      // 1001 from the module, or 1005 when the shell's WebSocket plugin closes them first (see module.ts).
      expect([1001, 1005]).toContain((await nurse.closed).code);
    } finally {
      await infra.cleanup();
    }
  });
});
