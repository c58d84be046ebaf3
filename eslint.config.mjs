import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const browserOnly = [
  'components/**',
  'hooks/**',
  'lib/client/**',
  'lib/stores/**',
  'lib/shared/**',
  // Isomorphic part of the SDK: the server's in-process publishers use it too.
  'lib/sdk/events.ts',
  'lib/sdk/typed-publisher.ts',
  'lib/sdk/errors.ts',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.next/',
      'data/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      'next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.tsx', 'hooks/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    rules: {
      'no-console': ['error', { allow: ['error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The layering rule of DESIGN.md: browser code never reaches into Node-only modules.
    files: browserOnly,
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@/lib/server/*', '@/lib/server', 'node:*'] }],
    },
  },
  {
    // Plain Node scripts and config files.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
  {
    files: ['cli/**', 'bench/**', 'scripts/**', 'e2e/**', '**/*.test.ts', 'tests/**'],
    rules: { 'no-console': 'off' },
  },
);
