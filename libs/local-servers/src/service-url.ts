/** Where a Redis or NATS URL points, as far as starting a local server is concerned. */
export interface ServiceAddress {
  host: string;
  port: number;
  /** Whether a server for it could run on this machine. */
  isLoopback: boolean;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Host and port of a redis:// or nats:// URL. For a NATS server list
 * ("nats://a:4222,nats://b:4222") the first entry counts; a missing scheme is allowed.
 */
export function parseServiceUrl(url: string, defaultScheme: string, defaultPort: number): ServiceAddress {
  const first = url.split(',')[0]?.trim() ?? '';
  const parsed = new URL(first.includes('://') ? first : `${defaultScheme}://${first}`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? defaultPort : Number(parsed.port);
  return { host, port, isLoopback: isLoopbackHost(host) };
}
