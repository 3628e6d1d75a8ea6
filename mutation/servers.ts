// vitest globalSetup of the store areas (`servers` in areas.mjs): starts each server the area
// needs once per test process, through the test support's starters, and hands it to the tests as
// MFAKIT_PG_URL / MFAKIT_REDIS_URL (set before vitest starts its workers, which inherit them) —
// so a mutant reruns only the store's tests, not a server start. With the variable already set,
// that server is used. Tests that stop or restart the server skip themselves (it is not theirs).
import { AREAS } from './areas.mjs';

const area = AREAS[process.env.MUTATION_AREA ?? ''];

export default async function setup(): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  for (const name of area?.servers ?? []) {
    if (name === 'postgres' && !process.env.MFAKIT_PG_URL) {
      const { startPostgres } = await import('../test/support/postgres-server.js');
      const server = await startPostgres();
      process.env.MFAKIT_PG_URL = server.url;
      stops.push(() => server.dispose());
    } else if (name === 'redis' && !process.env.MFAKIT_REDIS_URL) {
      const { startRedis } = await import('../test/support/redis-server.js');
      const server = await startRedis();
      process.env.MFAKIT_REDIS_URL = server.url;
      stops.push(() => server.dispose());
    }
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}
