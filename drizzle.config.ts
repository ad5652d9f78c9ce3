import { defineConfig } from 'drizzle-kit';

// The terminal's ledger schema; migrations are generated into db/migrations and committed.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./db/schema.ts', './db/*/schema.ts'],
  out: './db/migrations',
});
