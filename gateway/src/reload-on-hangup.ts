import type { GatewayHandle } from './gateway.js';

/** SIGHUP serves the supergraph file anew (after a deploy wrote a new one); a bad file changes nothing. */
export function reloadOnHangup(handle: Pick<GatewayHandle, 'reload' | 'logger'>): void {
  process.on('SIGHUP', () => {
    handle.reload().then(
      (changed) => handle.logger.info(changed ? 'new supergraph served' : 'supergraph unchanged'),
      (error: unknown) => handle.logger.error(`supergraph reload failed: ${(error as Error | undefined)?.message ?? String(error)}`),
    );
  });
}
