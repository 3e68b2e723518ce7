// Apollo Client 4 for this API: the possibleTypes codegen wrote, so fragments on Entity (and Node) match their
// implementations in the cache, and relayStylePagination, so pages of `entities` fetched with fetchMore merge into
// one list. Every argument but the cursors and the page size tells two lists apart.
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import introspection from './gql/possible-types.js';

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    possibleTypes: introspection.possibleTypes,
    typePolicies: {
      Query: {
        fields: {
          entities: relayStylePagination(['kinds', 'where', 'orderBy', 'lang']),
        },
      },
    },
  });
}

export function createApolloClient(uri: string, cache: InMemoryCache = createCache()): ApolloClient {
  return new ApolloClient({ link: new HttpLink({ uri }), cache });
}
