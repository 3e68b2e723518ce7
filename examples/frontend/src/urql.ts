// urql for this API: the fetch exchange alone (no document cache), so each call reaches the server.
import { Client, fetchExchange } from '@urql/core';

export function createUrqlClient(url: string): Client {
  return new Client({ url, exchanges: [fetchExchange], preferGetMethod: false });
}
