// The short soak (10 s) of the REST example on PostgreSQL: mixed enrol / login / double submit /
// replay / recovery / wrong code / status / reset traffic on loopback, then every record read back.
// `npm run soak` is the 60 s version (figures in docs/assurance.md); test/support/soak.ts says what
// is sent and what counts as unexpected.
import { describe, expect, it } from 'vitest';
import { postgresAvailability } from '../support/postgres-server.js';
import { skipUnless } from '../support/services.js';
import { runSoak } from '../support/soak.js';

const skip = skipUnless('REST example soak on PostgreSQL', postgresAvailability());

describe.skipIf(skip)('soak: REST example on PostgreSQL, 10 s', () => {
  it('answers every request without a 5xx or a broken guarantee, and leaves every record valid', async () => {
    const report = await runSoak({ seconds: Number(process.env.SOAK_SECONDS ?? 10), accounts: 60, concurrency: 8 });
    console.log(
      `soak: ${report.requests} requests in ${report.seconds.toFixed(1)} s (${report.throughput.toFixed(1)}/s), ` +
        `p50 ${report.latencyMs.p50.toFixed(0)} ms, p99 ${report.latencyMs.p99.toFixed(0)} ms; ${JSON.stringify(report.outcomes)}`,
    );
    expect(report.unexpected).toEqual([]);
    expect(report.outcomes['enrol: ok'] ?? 0).toBeGreaterThan(0);
    expect(report.records).toBeGreaterThanOrEqual(report.outcomes['enrol: ok']! > 0 ? 1 : 0);
    expect(report.invalidRecords).toBe(0);
  }, 180_000);
});
