import { MfaError } from './errors.js';

/** What the export files say about the codes. All optional. */
export interface RecoveryCodesExportMeta {
  /** Service name, e.g. `ACME`. */
  issuer?: string;
  /** Account the codes belong to, e.g. `alice@example.com`. */
  account?: string;
  /** When the set was generated: ms since epoch or a Date. Written as ISO 8601 UTC. */
  generatedAt?: number | Date;
}

/** Options of {@link recoveryCodesToText}. */
export interface RecoveryCodesTextOptions extends RecoveryCodesExportMeta {
  /** Line ending. Default `'\n'`. */
  newline?: '\n' | '\r\n';
}

/** Options of {@link recoveryCodesToCsv}. */
export interface RecoveryCodesCsvOptions extends RecoveryCodesExportMeta {
  /**
   * Prefix fields that start with `=`, `+`, `-`, `@`, tab or CR with `'` so a spreadsheet does not run
   * them as formulas (CSV injection through issuer or account). Default true.
   */
  escapeFormulas?: boolean;
}

/**
 * The codes as a plain-text file for the user to download or print (a
 * `recovery_codes.txt`): a title with issuer and account, the generation date, a short instruction
 * and one numbered code per line. Control characters in issuer and account are replaced by spaces so
 * they cannot forge lines.
 *
 * @example
 * ```ts
 * import { generateRecoveryCodes, recoveryCodesToText } from 'mfakit';
 * const { codes } = generateRecoveryCodes({ count: 8 });
 * const text = recoveryCodesToText(codes, {
 *   issuer: 'ACME', account: 'alice@example.com', generatedAt: Date.UTC(2026, 10, 25),
 * });
 * // Recovery codes for ACME (alice@example.com)
 * // Generated 2026-11-25T00:00:00.000Z
 * // …
 * // 1. 7K3Q-9XMD-2HFA
 * ```
 */
export function recoveryCodesToText(codes: readonly string[], meta: RecoveryCodesTextOptions = {}): string {
  const list = checkCodes(codes);
  const { issuer, account, generatedAt } = checkMeta(meta);
  const eol = meta.newline ?? '\n';
  if (eol !== '\n' && eol !== '\r\n') throw new MfaError('INVALID_OPTION', 'newline must be "\\n" or "\\r\\n"');
  const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
  const who =
    issuer && account ? `${oneLine(issuer)} (${oneLine(account)})` : issuer ? oneLine(issuer) : account ? oneLine(account) : '';
  const lines = [who ? `Recovery codes for ${who}` : 'Recovery codes'];
  if (generatedAt !== undefined) lines.push(`Generated ${generatedAt}`);
  lines.push(
    '',
    'Keep these codes somewhere safe. Each code signs you in once if you lose',
    'access to your authenticator app. Generating new codes invalidates these.',
    '',
  );
  const width = String(list.length).length;
  list.forEach((code, i) => lines.push(`${String(i + 1).padStart(width, ' ')}. ${code}`));
  return lines.join(eol) + eol;
}

/**
 * The codes as CSV (RFC 4180: header row, CRLF line breaks, fields with commas, quotes or line
 * breaks quoted and quotes doubled), one row per code with columns
 * `number,code,issuer,account,generated_at` — what a "Download" button next to the codes serves.
 *
 * @example
 * ```ts
 * import { generateRecoveryCodes, recoveryCodesToCsv } from 'mfakit';
 * const { codes } = generateRecoveryCodes();
 * const csv = recoveryCodesToCsv(codes, { issuer: 'ACME, Inc.', account: 'alice@example.com' });
 * // number,code,issuer,account,generated_at\r\n
 * // 1,7K3Q-9XMD-2HFA,"ACME, Inc.",alice@example.com,\r\n
 * ```
 * @see RFC 4180 §2
 */
export function recoveryCodesToCsv(codes: readonly string[], meta: RecoveryCodesCsvOptions = {}): string {
  const list = checkCodes(codes);
  const { issuer, account, generatedAt } = checkMeta(meta);
  const escapeFormulas = meta.escapeFormulas ?? true;
  if (typeof escapeFormulas !== 'boolean') throw new MfaError('INVALID_OPTION', 'escapeFormulas must be a boolean');
  const field = (value: string): string => {
    const v = escapeFormulas && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  const rows = ['number,code,issuer,account,generated_at'];
  list.forEach((code, i) => {
    rows.push([String(i + 1), field(code), field(issuer ?? ''), field(account ?? ''), generatedAt ?? ''].join(','));
  });
  return rows.join('\r\n') + '\r\n';
}

function checkCodes(codes: unknown): readonly string[] {
  if (!Array.isArray(codes) || codes.some((c) => typeof c !== 'string')) {
    throw new MfaError('INVALID_OPTION', 'codes must be an array of strings');
  }
  return codes as readonly string[];
}

function checkMeta(meta: unknown): { issuer?: string; account?: string; generatedAt?: string } {
  if (typeof meta !== 'object' || meta === null) throw new MfaError('INVALID_OPTION', 'meta must be an object');
  const m = meta as RecoveryCodesExportMeta;
  if (m.issuer !== undefined && typeof m.issuer !== 'string') throw new MfaError('INVALID_OPTION', 'issuer must be a string');
  if (m.account !== undefined && typeof m.account !== 'string') throw new MfaError('INVALID_OPTION', 'account must be a string');
  const out: { issuer?: string; account?: string; generatedAt?: string } = {};
  if (m.issuer !== undefined) out.issuer = m.issuer;
  if (m.account !== undefined) out.account = m.account;
  if (m.generatedAt !== undefined) {
    const t = m.generatedAt instanceof Date ? m.generatedAt.getTime() : m.generatedAt;
    if (typeof t !== 'number' || !Number.isFinite(t) || Math.abs(t) > 8.64e15) {
      throw new MfaError('INVALID_OPTION', 'generatedAt must be a valid Date or milliseconds since the epoch');
    }
    out.generatedAt = new Date(t).toISOString();
  }
  return out;
}
