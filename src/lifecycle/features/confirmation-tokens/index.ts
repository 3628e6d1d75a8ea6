// Confirmation tokens as an opt-in feature: `createMfa({ features: [confirmationTokens()] })`. It adds
// the `issueConfirmationToken` command and method, the `confirmation` record slice, and the
// `{ token }` proof that `disable`, `resetSecret` and `regenerateRecoveryCodes` accept.
import { checkInteger } from '../../../_internal/check.js';
import type { MfaFeature } from '../../feature.js';
import { checkTokenProof, issueConfirmationTokenTransition, type IssueConfirmationTokenResult } from './transitions.js';
import { confirmationProblem } from './slice.js';

/** The command of the confirmation-token feature; part of `MfaCommand`. */
export type ConfirmationTokenCommand = { readonly type: 'issueConfirmationToken'; readonly purpose: string; readonly ttl?: number };

/** The result type of {@link ConfirmationTokenCommand}. */
export interface ConfirmationTokenResults {
  issueConfirmationToken: IssueConfirmationTokenResult;
}

// The commands join `MfaCommand` and their results `MfaResults` from here, so the core never imports a feature.
declare module '../../transitions.js' {
  interface MfaFeatureCommands {
    confirmationTokens: ConfirmationTokenCommand;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into MfaResults
  interface MfaResults extends ConfirmationTokenResults {}
}

/** Service methods the confirmation-token feature adds to `Mfa`. */
export interface ConfirmationTokensMfa {
  /**
   * A confirmation token for a sensitive action (e.g. disable by a mailed link, 15 minutes by
   * default). You deliver it; `disable(userId, { token })` consumes it.
   */
  issueConfirmationToken(userId: string, purpose: string, options?: { ttl?: number }): Promise<IssueConfirmationTokenResult>;
}

/** Options of {@link confirmationTokens}. */
export interface ConfirmationTokensOptions {
  /** Default lifetime of a token in ms. Default 900 000 (15 minutes). */
  readonly ttl?: number;
}

/**
 * Confirmation tokens: long random tokens you mail to confirm a sensitive action, stored as their
 * SHA-256, consumed once. Pass it to `createMfa`.
 *
 * @throws {@link MfaError} `INVALID_OPTION` for a bad `ttl`
 * @example Disable by a mailed token
 * ```ts
 * import { createMfa, MemoryStore, confirmationTokens } from 'mfakit';
 * const mfa = createMfa({ store: new MemoryStore(), issuer: 'Acme', features: [confirmationTokens()] });
 * const issued = await mfa.issueConfirmationToken('u1', 'disable');
 * if (issued.ok) await mfa.disable('u1', { token: issued.token });
 * ```
 */
export function confirmationTokens(options: ConfirmationTokensOptions = {}): MfaFeature<ConfirmationTokensMfa> {
  const ttl = checkInteger('confirmationTokens.ttl', options?.ttl ?? 900_000, 1_000, 30 * 86_400_000);
  return {
    name: 'confirmationTokens',
    handlers: { issueConfirmationToken: (record, command, ctx) => issueConfirmationTokenTransition(record, command, ctx, ttl) },
    slice: { key: 'confirmation', problem: confirmationProblem },
    checkToken: checkTokenProof,
    methods: ({ execute }) => ({
      issueConfirmationToken: (userId, purpose, o = {}) =>
        execute(
          userId,
          o.ttl === undefined ? { type: 'issueConfirmationToken', purpose } : { type: 'issueConfirmationToken', purpose, ttl: o.ttl },
        ) as Promise<IssueConfirmationTokenResult>,
    }),
  };
}

export type { IssueConfirmationTokenResult } from './transitions.js';
export type { ConfirmationTokensSlice } from './slice.js';
