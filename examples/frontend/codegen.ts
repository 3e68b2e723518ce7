// The README's front-end recipe: typed operations and Apollo's possibleTypes, both from the committed schema.
//   src/gql/                 the client preset: a typed `graphql()` for every document under src/
//   src/gql/possible-types.ts which types implement Entity and Node (every interface and union), for InMemoryCache
// Both are generated (`npm run codegen`) and never committed; tests/browser/run.sh regenerates them on every run.
import type { CodegenConfig } from '@graphql-codegen/cli';

const schema = '../../schema/schema.graphql';

const config: CodegenConfig = {
  schema,
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      // `.js` on relative imports, as Node's ES modules need them once tsc has compiled src/ to dist/.
      config: { useTypeImports: true, enumsAsTypes: true, emitLegacyCommonJSImports: false },
    },
    './src/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { useExplicitTyping: true },
    },
  },
};

export default config;
