export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown> & { code?: string; service?: string; retryable?: boolean; requestId?: string };
}

export interface GraphQLResult<TData> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: GraphQLErrorShape[];
}

/** Posts one GraphQL operation and returns the parsed response with its HTTP status and headers. */
export async function graphql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: TData | null; errors?: GraphQLErrorShape[] };
  return { status: response.status, headers: response.headers, ...body };
}
