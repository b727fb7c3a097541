import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['proto/gen/**', 'build/**', 'node_modules/**', 'eslint.config.js', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Product code never depends on test code (the demo's lab lives in lab/, not test/support).
    files: ['{agent,cli,coordinator,daemon,lab,proto,resource-agents}/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/test/**'] }] },
  },
  {
    // The scheduler is a pure function: no I/O, no clock, no randomness, no logging.
    files: ['coordinator/scheduler/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/test/**', 'node:*', 'pino', '@grpc/*', '**/agent/**', 'fs', 'child_process', 'os'] },
      ],
      'no-restricted-globals': ['error', 'Date', 'process', 'setTimeout', 'setInterval', 'setImmediate'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random' }],
    },
  },
);
