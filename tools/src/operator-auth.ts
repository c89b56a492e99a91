import { IDENTITY_HEADER, IdentityAssertions, servicePrincipal } from '@cloudphone/identity';

/** The headers of an operator tool calling subgraphs directly, as a platform service (needs the internal secret). */
export async function serviceHeaders(internalSecret: string, tool: string): Promise<Record<string, string>> {
  return { [IDENTITY_HEADER]: await new IdentityAssertions(internalSecret).sign(servicePrincipal(tool), tool) };
}

/** Signs in through the gateway and returns the bearer header (operator tools act as an administrator). */
export async function loginHeaders(gatewayUrl: string, email: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }', variables: { input: { email, password } } }),
  });
  const body = (await response.json()) as { data?: { login?: { accessToken?: string } } | null; errors?: unknown[] };
  const token = body.data?.login?.accessToken;
  if (!token) throw new Error(`could not sign in as ${email}: ${JSON.stringify(body.errors ?? body)}`);
  return { authorization: `Bearer ${token}` };
}
