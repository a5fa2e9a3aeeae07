// Lint: typescript-eslint's parser, no import cycles (import-x/no-cycle) and the layers of the tree
// (import-x/no-restricted-paths).
// Formatting is Prettier's alone (npm run format); nothing here checks layout.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'out/', 'test-output/', 'cdk.out/'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        importX.createNodeResolver({
          extensions: ['.ts', '.js'],
          extensionAlias: { '.js': ['.ts', '.js'] },
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // The layers: pipelines/ knows nothing of pages or entry points; reports/ nothing of entry points.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './pipelines',
              from: ['./reports', './functions', './infra'],
              message: 'pipelines/ imports neither reports/ nor functions/.',
            },
            {
              target: './reports',
              from: ['./functions', './infra'],
              message: 'reports/ never imports functions/.',
            },
          ],
        },
      ],
    },
  },
);
