// GraphQL Code Generator: types and typed document nodes for src/operations/*.graphql.
// USERQL_SCHEMA overrides the schema source (a file path or a running server's
// /graphql URL); scripts/prove-exhaustive.sh uses it to point at a mutated copy.
import type { CodegenConfig } from '@graphql-codegen/cli';

const schema = process.env.USERQL_SCHEMA ?? '../../schema.graphql';

const config: CodegenConfig = {
  overwrite: true,
  schema,
  documents: 'src/operations/*.graphql',
  ignoreNoDocuments: false,
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
      config: {
        // Only the types operations need (inputs, results), not every schema type.
        onlyOperationTypes: true,
        // __typename only where a document selects it, and then never optional:
        // it is the discriminant the client switches on.
        skipTypename: true,
        nonOptionalTypename: true,
        avoidOptionals: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { ID: 'string' },
        useTypeImports: true,
      },
    },
  },
};

export default config;
