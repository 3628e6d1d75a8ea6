// Types of smoke.mjs (plain JavaScript so that every runtime, QuickJS included, runs it as is).
export declare const CORE_CHECKS: readonly string[];
export declare const QR_CHECKS: readonly string[];
export declare const WEBCRYPTO_CHECKS: readonly string[];
export declare const NO_WEBCRYPTO_CHECKS: readonly string[];
export declare function smoke(options: {
  mfakit: typeof import('../../src/index.js');
  qr?: typeof import('../../src/qr/index.js') | null;
  rng?: (byteLength: number) => Uint8Array;
}): Promise<Array<{ name: string; ok: boolean; detail: string }>>;
