import { createTokenSigner, resolveJwtSecret } from '@nursing/auth';
import { CommonEnvSchema, loadConfig } from '@nursing/config';

export interface SimTokens {
  admin(): string;
  coordinator(institutionId: string): string;
  nurse(nurseId: string, institutionId: string): string;
  security(): string;
}

/**
 * Tokens signed as `npm run token` signs them: with JWT_SECRET, or the development
 * secret that `npm start` generated in DATA_DIR. Tests pass their own secret.
 */
export function createSimTokens(secret?: string): SimTokens {
  const key = secret ?? resolveJwtSecret(loadConfig(CommonEnvSchema)).secret;
  const sign = createTokenSigner(key, 24 * 3600);
  return {
    admin: () => sign({ sub: 'sim-admin', role: 'admin' }),
    coordinator: (institution) => sign({ sub: `sim-coord-${institution}`, role: 'coordinator', institution }),
    nurse: (id, institution) => sign({ sub: id, role: 'nurse', institution }),
    security: () => sign({ sub: 'sim-security-officer', role: 'security' }),
  };
}
