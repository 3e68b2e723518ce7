export { createApolloClient, createCache } from './apollo.js';
export { createUrqlClient } from './urql.js';
export { EntitiesPage, EntityCard, EntitySummary } from './operations.js';
