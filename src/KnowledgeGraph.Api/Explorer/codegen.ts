// Typed operations from the committed schema, as the README's front-end recipe tells a client to make them: the
// client preset reads every graphql(`...`) document under src/ and writes src/gql/ (never committed). The Api
// project's build runs it (Explorer.targets), so a schema change that breaks the explorer breaks the build.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../../schema/schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      // Documents as strings: the page sends their text and needs no GraphQL parser at run time.
      config: { useTypeImports: true, enumsAsTypes: true, documentMode: 'string' },
    },
  },
};

export default config;
