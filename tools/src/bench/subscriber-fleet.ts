import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { AUTHORIZATION_ENV } from './gateway-auth.js';
import { type ProcessUsage, processUsage } from './gateway-child.js';
import type { SubscriberMessage, SubscriberRequest } from './subscription-protocol.js';

const ENTRY = new URL('./subscriber-process.js', import.meta.url);

/** What became of one event across every subscriber of the fleet. */
export interface Delivery {
  /** Deliveries counted (each subscriber should count once) and how many were wrong (errors, stale device). */
  received: number;
  wrong: number;
  /** Wall-clock times (Date.now()) of the first and the last delivery, when every subscriber got it. */
  first?: number;
  last?: number;
}

export interface SubscriberFleet {
  sockets: number;
  failed: number;
  /** Waits until every subscriber has the event `key` (its occurredAt) or `timeoutMs` passes; then counts what arrived. */
  delivery(key: string, timeoutMs: number): Promise<Delivery>;
  usage(): Promise<ProcessUsage[]>;
  close(): Promise<{ errors: number }>;
}

type Complete = Extract<SubscriberMessage, { type: 'complete' }>;

/**
 * Spreads `subscribers` over `processes` client processes and waits until all
 * have subscribed; each socket presents `authorization` (`Bearer <token>`),
 * handed to the processes in their environment.
 */
export async function startSubscriberFleet(options: { wsUrl: string; authorization: string; deviceId: string; subscribers: number; processes: number }): Promise<SubscriberFleet> {
  const shares = Array.from({ length: options.processes }, (_, index) => Math.floor(options.subscribers / options.processes) + (index < options.subscribers % options.processes ? 1 : 0)).filter((share) => share > 0);
  const children: ChildProcess[] = shares.map((share) => fork(ENTRY, [options.wsUrl, options.deviceId, String(share)], { env: { ...process.env, [AUTHORIZATION_ENV]: options.authorization }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const completes = new Map<string, Complete[]>();
  const waiters = new Set<() => void>();
  for (const child of children) {
    child.on('message', (message: SubscriberMessage) => {
      if (message.type !== 'complete') return;
      completes.set(message.key, [...(completes.get(message.key) ?? []), message]);
      for (const wake of waiters) wake();
    });
  }
  const nextOf = (child: ChildProcess, type: SubscriberMessage['type']): Promise<SubscriberMessage> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`a subscriber process exited with code ${String(code)}`));
      const onMessage = (message: SubscriberMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = async (child: ChildProcess, request: SubscriberRequest, answer: SubscriberMessage['type']) => {
    const reply = nextOf(child, answer);
    child.send(request);
    return reply;
  };

  const subscribed = await Promise.all(children.map((child) => nextOf(child, 'subscribed')));
  let sockets = 0;
  let failed = 0;
  for (const message of subscribed) {
    if (message.type !== 'subscribed') continue;
    sockets += message.sockets;
    failed += message.failed;
  }

  return {
    sockets,
    failed,
    delivery: async (key, timeoutMs) => {
      const done = () => (completes.get(key)?.length ?? 0) === children.length;
      if (!done()) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            if (!done()) return;
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(() => {
            waiters.delete(wake);
            resolve();
          }, timeoutMs);
          waiters.add(wake);
        });
      }
      const all = completes.get(key) ?? [];
      if (all.length === children.length) {
        return { received: options.subscribers, wrong: all.reduce((sum, message) => sum + message.wrong, 0), first: Math.min(...all.map((message) => message.first)), last: Math.max(...all.map((message) => message.last)) };
      }
      // Someone is missing it: ask every process how many of its subscribers have it.
      const tallies = await Promise.all(children.map((child) => ask(child, { type: 'tally', key }, 'tally')));
      return tallies.reduce<Delivery>((sum, message) => (message.type === 'tally' ? { received: sum.received + message.received, wrong: sum.wrong + message.wrong } : sum), { received: 0, wrong: 0 });
    },
    usage: () => Promise.all(children.flatMap((child) => (child.pid === undefined ? [] : [processUsage(child.pid)]))),
    close: async () => {
      const closed = await Promise.all(
        children.map(async (child) => {
          const exited = once(child, 'exit');
          const reply = await ask(child, { type: 'close' }, 'closed');
          await exited;
          return reply.type === 'closed' ? reply.errors : 0;
        }),
      );
      return { errors: closed.reduce((sum, errors) => sum + errors, 0) };
    },
  };
}
