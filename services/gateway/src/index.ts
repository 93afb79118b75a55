export * from './env.ts';
export * from './module.ts';
export * from './app.ts';
