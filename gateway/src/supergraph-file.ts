import { readFile } from 'node:fs/promises';
import type { SupergraphSdlHook, SupergraphSdlUpdateFunction } from '@apollo/gateway';

/**
 * The committed supergraph file as the gateway's SupergraphSdlHook: read at
 * start, and read again by `reload()` (SIGHUP in main.ts), which hands it to
 * the gateway's `update` when it changed. A file that does not build a
 * supergraph makes `reload()` reject and leaves the gateway on the schema it
 * had (the gateway builds it before it swaps anything).
 */
export class SupergraphFile {
  private update: SupergraphSdlUpdateFunction | undefined;
  private served: string | undefined;

  constructor(readonly path: string) {}

  readonly hook: SupergraphSdlHook = async ({ update }) => {
    const supergraphSdl = await readFile(this.path, 'utf8');
    this.update = update;
    this.served = supergraphSdl;
    return {
      supergraphSdl,
      cleanup: async () => {
        this.update = undefined;
      },
    };
  };

  /** Whether the file had changed (and is now served). */
  async reload(): Promise<boolean> {
    const supergraphSdl = await readFile(this.path, 'utf8');
    if (!this.update) throw new Error('the gateway is not running: nothing to reload');
    if (supergraphSdl === this.served) return false;
    this.update(supergraphSdl);
    this.served = supergraphSdl;
    return true;
  }
}
