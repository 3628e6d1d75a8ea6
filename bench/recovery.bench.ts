// Recovery codes: verify against a set of 10 (right code, wrong code, used code), for the default
// HMAC-SHA-256 scheme and the KDF options, plus generation. `npm run bench -- recovery`.
import { bench, do_not_optimize, group, summary } from 'mitata';
import { generateRecoveryCodes, markRecoveryCodeUsed, verifyRecoveryCode } from '../src/recovery-codes.js';
import { recoveryCodesToCsv } from '../src/recovery-codes-export.js';
import { pbkdf2Kdf, scryptKdf } from '../src/recovery-kdfs.js';

const WRONG = 'ZZZZ-ZZZZ-ZZZZ';
const pepper = new Uint8Array(32).fill(1);

const fast = generateRecoveryCodes();
const used = markRecoveryCodeUsed(fast.hashes, 9, 0);
const fast20 = generateRecoveryCodes({ count: 20 });
const peppered = generateRecoveryCodes({ hashing: { pepper } });
const pbkdf2 = generateRecoveryCodes({ hashing: { kdf: pbkdf2Kdf } }); // default 100 000 iterations
const scrypt = generateRecoveryCodes({ hashing: { kdf: scryptKdf } }); // default N=2^15, r=8, p=1

// Self-check: each set accepts its right code and rejects the wrong one, so the figures compare equal work.
for (const [set, opts] of [[fast, {}], [peppered, { hashing: { pepper } }], [pbkdf2, { hashing: { kdf: pbkdf2Kdf } }], [scrypt, { hashing: { kdf: scryptKdf } }]] as const) {
  if (!verifyRecoveryCode(set.hashes, set.codes[9]!, opts).ok || verifyRecoveryCode(set.hashes, WRONG, opts).ok) {
    throw new Error('recovery bench self-check failed');
  }
}

group('recovery codes: verify, 10 stored (hmac-sha256)', () => {
  summary(() => {
    bench('right code', () => do_not_optimize(verifyRecoveryCode(fast.hashes, fast.codes[9]!)));
    bench('wrong code', () => do_not_optimize(verifyRecoveryCode(fast.hashes, WRONG)));
    bench('used code', () => do_not_optimize(verifyRecoveryCode(used, fast.codes[9]!)));
    bench('right code, lower case with spaces', () => do_not_optimize(verifyRecoveryCode(fast.hashes, fast.codes[9]!.toLowerCase().replace(/-/g, ' '))));
    bench('right code, peppered', () => do_not_optimize(verifyRecoveryCode(peppered.hashes, peppered.codes[9]!, { hashing: { pepper } })));
    bench('wrong code, 20 stored', () => do_not_optimize(verifyRecoveryCode(fast20.hashes, WRONG)));
    bench('format error (no hash)', () => do_not_optimize(verifyRecoveryCode(fast.hashes, '!!')));
  });
});

group('recovery codes: verify, 10 stored (KDF)', () => {
  bench('pbkdf2-sha256 100k, right code', () => do_not_optimize(verifyRecoveryCode(pbkdf2.hashes, pbkdf2.codes[9]!, { hashing: { kdf: pbkdf2Kdf } })));
  bench('pbkdf2-sha256 100k, wrong code', () => do_not_optimize(verifyRecoveryCode(pbkdf2.hashes, WRONG, { hashing: { kdf: pbkdf2Kdf } })));
  bench('scrypt N=2^15 r=8, right code', () => do_not_optimize(verifyRecoveryCode(scrypt.hashes, scrypt.codes[9]!, { hashing: { kdf: scryptKdf } })));
  bench('scrypt N=2^15 r=8, wrong code', () => do_not_optimize(verifyRecoveryCode(scrypt.hashes, WRONG, { hashing: { kdf: scryptKdf } })));
});

group('recovery codes: generate and export', () => {
  bench('generate 10 (hmac-sha256)', () => do_not_optimize(generateRecoveryCodes()));
  bench('CSV export of 10', () => do_not_optimize(recoveryCodesToCsv(fast.codes, { issuer: 'ACME, Inc.', account: 'a@b' })));
});
