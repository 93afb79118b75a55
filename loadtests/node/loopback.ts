/** Load is only ever sent to this machine: the harness refuses any other host. */
export function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return;
  throw new Error(`refusing to load ${host}: the load harness only targets loopback addresses (127.0.0.0/8, localhost, ::1)`);
}
