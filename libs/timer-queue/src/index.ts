export * from './timer-queue.ts';
