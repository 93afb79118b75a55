export * from './alarms-stream.ts';
export * from './publish-alarm-raise.ts';
export * from './raised-message.ts';
