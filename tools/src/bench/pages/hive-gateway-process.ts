import { createGatewayRuntime } from '@graphql-hive/gateway';
import { IDENTITY_HEADER } from '@cloudphone/identity';
import { listenLocally } from './http-server.js';
import { serveForParent } from './server-child.js';

export interface HiveGatewaySettings {
  /** The committed supergraph with each subgraph's URL pointed at the running one. */
  supergraphSdl: string;
}

/**
 * The peer: Hive Gateway (@graphql-hive/gateway) serving the same supergraph
 * in front of the same subgraphs, configured for production (no GraphiQL or
 * landing page, no logging per request). It does not verify users: it passes
 * on the identity assertion the benchmark signed for its admin, which the
 * subgraphs verify as they verify our gateway's.
 */
serveForParent<HiveGatewaySettings>(async ({ supergraphSdl }) => {
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ [IDENTITY_HEADER]: request.headers.get(IDENTITY_HEADER) }),
    },
  });
  const server = await listenLocally(gateway);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await gateway.dispose();
    },
  };
});
