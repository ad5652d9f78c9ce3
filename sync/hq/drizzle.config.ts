import { defineConfig } from 'drizzle-kit';

// HQ's chain ledger (PGlite or PostgreSQL); migrations are generated into sync/hq/migrations and committed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './sync/hq/schema.ts',
  out: './sync/hq/migrations',
});
