// `npm run soak`: the REST example on PostgreSQL under mixed load for SOAK_SECONDS (default 60),
// SOAK_ACCOUNTS accounts (default 300), SOAK_CONCURRENCY concurrent virtual users (default 8).
// Prints throughput, latency percentiles, outcomes and the consistency check; exits 1 on any
// unexpected answer. See test/support/soak.ts for what is sent and checked.
import { runSoak } from '../test/support/soak.js';

const report = await runSoak({
  seconds: Number(process.env.SOAK_SECONDS ?? 60),
  accounts: Number(process.env.SOAK_ACCOUNTS ?? 300),
  concurrency: Number(process.env.SOAK_CONCURRENCY ?? 8),
  log: (line) => console.log(line),
});
const ms = (n: number): string => `${n.toFixed(1)} ms`;
console.log(`${report.requests} requests in ${report.seconds.toFixed(1)} s: ${report.throughput.toFixed(0)} req/s`);
console.log(`latency p50 ${ms(report.latencyMs.p50)}, p90 ${ms(report.latencyMs.p90)}, p99 ${ms(report.latencyMs.p99)}, max ${ms(report.latencyMs.max)}`);
for (const [kind, k] of Object.entries(report.byKind)) console.log(`  ${kind.padEnd(9)} ${String(k.count).padStart(7)}  p50 ${ms(k.p50)}  p99 ${ms(k.p99)}`);
console.log('outcomes:', JSON.stringify(report.outcomes, null, 1));
console.log(
  `consistency: ${report.records} records, ${report.invalidRecords} invalid; ${report.acceptedSteps} TOTP steps and ` +
    `${report.acceptedRecoveryCodes} recovery codes accepted, each once`,
);
console.log(`unexpected: ${report.unexpected.length}${report.unexpected.length ? `\n  ${report.unexpected.join('\n  ')}` : ''}`);
process.exit(report.unexpected.length === 0 ? 0 : 1);
