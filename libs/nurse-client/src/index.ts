export { createNurseClient } from './nurse-client.ts';
export type { Assignment, InboxEvents, NurseClient, NurseClientEvents, NurseClientOptions } from './nurse-client.ts';
export { CLIENT_ERROR_CODES, NurseClientError } from './client-error.ts';
export type { BackoffOptions, TokenSource } from './reconnecting-socket.ts';
export type { OutgoingFrame } from './unacked-frames.ts';
