export * from './tokens.ts';
export * from './jwt-secret.ts';
export * from './roles.ts';
