/** While an alarm is open the nurse's app reports her position this often. */
export const FOLLOW_INTERVAL_MS = 1_000;
/** Sent on resolve: back to the app's normal reporting. */
export const FOLLOW_STOP = 0;
