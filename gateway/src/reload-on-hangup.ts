import type { GatewayHandle } from './gateway.js';
import { logGateway } from './log.js';

/** SIGHUP serves the supergraph file anew (after a deploy wrote a new one); a bad file changes nothing. */
export function reloadOnHangup(handle: Pick<GatewayHandle, 'reload'>): void {
  process.on('SIGHUP', () => {
    handle.reload().then(
      (changed) => console.log(changed ? 'gateway: new supergraph served' : 'gateway: supergraph unchanged'),
      (error: unknown) => logGateway('error', `supergraph reload failed: ${(error as Error | undefined)?.message ?? String(error)}`),
    );
  });
}
