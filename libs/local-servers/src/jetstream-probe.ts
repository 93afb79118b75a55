import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * Whether JetStream answers an account-info request through `servers`. In a cluster this
 * needs an elected meta leader.
 */
export async function jetStreamAnswers(servers: string | string[], timeoutMs = 2000): Promise<boolean> {
  let nc: NatsConnection | undefined;
  try {
    nc = await connect({ servers, reconnect: false, timeout: timeoutMs });
    const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
    await jsm.getAccountInfo();
    return true;
  } catch {
    return false;
  } finally {
    await nc?.close().catch(() => undefined);
  }
}
