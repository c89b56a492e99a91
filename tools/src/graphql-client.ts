/** How an operator tool reaches a GraphQL endpoint: `fetch` (tests pass a fake) and a signal that aborts the call. */
export interface GraphqlTransport {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** One operation; its data, or an error naming the URL when the answer has errors or no data. */
export async function postGraphql<T>(url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown>, transport: GraphqlTransport = {}): Promise<T> {
  const response = await (transport.fetch ?? fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    ...(transport.signal ? { signal: transport.signal } : {}),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors?.length) throw new Error(`${url}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** Every node of a connection field, 100 at a time. */
export async function readAllPages<T>(url: string, headers: Record<string, string>, field: string, selection: string, transport: GraphqlTransport = {}): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (;;) {
    const query = `query Page($after: String) { ${field}(first: 100, after: $after) { edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } }`;
    const data: Record<string, Connection<T>> = await postGraphql(url, headers, query, { after }, transport);
    const page = data[field];
    if (!page) throw new Error(`${url}: no ${field} in the answer`);
    nodes.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}
