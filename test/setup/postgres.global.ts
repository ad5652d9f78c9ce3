/**
 * Global setup of the integration tests: one PostgreSQL cluster for the whole run. Each test that needs
 * PostgreSQL makes an empty database of its own in it (`freshDatabase()` in test/support/postgres.ts).
 */
import { SHARED_POSTGRES_ENV, startPostgres } from '../support/postgres';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env[SHARED_POSTGRES_ENV]) return async () => {};
  const cluster = await startPostgres();
  process.env[SHARED_POSTGRES_ENV] = cluster.url;
  return async () => {
    delete process.env[SHARED_POSTGRES_ENV];
    await cluster.stop();
  };
}
