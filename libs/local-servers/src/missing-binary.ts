/** The apt command that installs both servers this package can start. */
export const INSTALL_HINT = 'Install it with `sudo apt-get install -y redis-server nats-server` (Debian/Ubuntu)';

/** Error text for a server binary that is not installed. */
export function missingBinaryMessage(binary: string): string {
  return `No ${binary} binary was found in PATH, /usr/sbin or /usr/bin. ${INSTALL_HINT}.`;
}
