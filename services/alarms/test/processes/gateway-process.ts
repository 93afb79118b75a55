import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServiceProcess, type ProcessInfra, type ServiceProcess } from '@nursing/testing';

/** The gateway package's own server.ts, found through the workspace package. */
const SERVER = join(dirname(fileURLToPath(import.meta.resolve('@nursing/gateway'))), 'server.ts');

/** A gateway instance as a real process. */
export function startGatewayProcess(infra: ProcessInfra, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startServiceProcess('gateway', SERVER, infra, env);
}
