import { loginHeaders } from '../operator-auth.js';
import { DEMO_ADMIN } from '../seed/dataset.js';

/** The environment variable a forked subscriber process reads its `Bearer <token>` from (not argv: `ps` shows that). */
export const AUTHORIZATION_ENV = 'BENCH_GATEWAY_AUTHORIZATION';

/**
 * How a benchmark presents itself to the closed-by-default gateway: the
 * headers of every HTTP operation (JSON content type plus the bearer token,
 * built once so a measured request costs what it did before) and the
 * graphql-ws `connectionParams` of every socket.
 */
export interface GatewayAuth {
  /** `Bearer <access token>`. */
  authorization: string;
  /** `content-type: application/json` and `authorization`, for every HTTP operation. */
  httpHeaders: Readonly<Record<string, string>>;
  connectionParams: { authorization: string };
}

export function gatewayAuth(authorization: string): GatewayAuth {
  return { authorization, httpHeaders: { 'content-type': 'application/json', authorization }, connectionParams: { authorization } };
}

/**
 * Signs in once as the demo dataset's SUPER_ADMIN through the gateway (one
 * argon2 check, about a quarter second: before any measurement, never per
 * request). The access token lives 15 minutes by default, longer than a run.
 */
export async function signInAsDemoAdmin(gatewayUrl: string): Promise<GatewayAuth> {
  const { authorization } = await loginHeaders(gatewayUrl, DEMO_ADMIN.email, DEMO_ADMIN.password);
  if (!authorization) throw new Error('signing in gave no authorization header');
  return gatewayAuth(authorization);
}
