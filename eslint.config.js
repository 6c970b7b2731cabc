// Lint: the recommended JS and TypeScript rules, over sources and tests; build output ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['scratch/**', 'dist/**', 'node_modules/**', 'reports/**', 'samples/**', 'test/fixtures/**', '.bench-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // One import per module (a type-only import may stand apart).
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
    },
  },
);
