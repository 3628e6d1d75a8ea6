// The type of a service's pepper source, on its own so that the transition context can name it
// without importing the recovery-code logic (which itself reads the context).

/** @internal Derives the pepper of a cipher key: the current one (no id) or a named one; null when unknown. */
export type PepperSource = (keyId?: string) => { readonly keyId: string; readonly pepper: Uint8Array } | null;
