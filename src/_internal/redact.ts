// Results that carry something to show the user exactly once (a secret, recovery codes, an API
// password, a token) must not leak it when a caller logs the whole object. `redact` keeps the
// fields readable as properties but shows them as '[redacted]' to JSON.stringify and util.inspect.
// Non-enumerable, so spreading or comparing results is unaffected; no node:util import (browsers).

const INSPECT = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom');

type Inspect = (value: unknown, options: unknown) => string;

/** Marks `fields` of `value` as redacted in JSON and util.inspect output; returns `value`. */
export function redact<T extends object>(value: T, fields: readonly (keyof T & string)[]): T {
  const view = (): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const field of fields) out[field] = '[redacted]'; // every caller names fields it sets
    return out;
  };
  // defineProperties: not enumerable, not writable.
  return Object.defineProperties(value, {
    toJSON: { value: view },
    [INSPECT]: { value: (_depth: number, options: unknown, inspect: Inspect) => inspect(view(), options) },
  });
}
