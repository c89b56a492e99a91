import assert from 'node:assert/strict';
import { graphql } from '@cloudphone/testing';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface ReceivedError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** What one subscription heard, in order: results, then `complete` or a terminal error. */
export interface Heard {
  results: { data?: Record<string, unknown> | null; errors?: readonly ReceivedError[] }[];
  /** Errors of an `error` message (the operation was refused or failed). */
  errors: readonly ReceivedError[] | undefined;
  completed: boolean;
  stop(): void;
}

/** A graphql-ws client (the library's own) on the gateway's WebSocket, signed in with `accessToken`, not retrying. */
export function wsClient(gatewayUrl: string, accessToken: string): Client {
  return createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${accessToken}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
}

/** Subscribes and records what arrives; waits a moment so the subscription is in place before the test acts. */
export async function listen(client: Client, query: string, variables: Record<string, unknown> = {}, settleMs = 400): Promise<Heard> {
  const heard: Heard = { results: [], errors: undefined, completed: false, stop: () => undefined };
  heard.stop = client.subscribe(
    { query, variables },
    {
      next: (value) => void heard.results.push(value as Heard['results'][number]),
      error: (error) => {
        heard.errors = Array.isArray(error) ? (error as ReceivedError[]) : [{ message: String(error) }];
      },
      complete: () => {
        heard.completed = true;
      },
    },
  );
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return heard;
}

/** Moves a device through the gateway (each call publishes one device.status.changed). */
export async function setDeviceRunning(gatewayUrl: string, headers: Record<string, string>, deviceId: string, running: boolean): Promise<void> {
  const mutation = running ? 'startDevice' : 'stopDevice';
  const result = await graphql(gatewayUrl, `mutation($id: ID!) { ${mutation}(id: $id) { status } }`, { id: deviceId }, headers);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
}
