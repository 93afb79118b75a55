export * from './common-env.ts';
export * from './load-config.ts';
