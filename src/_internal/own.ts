/**
 * Sets `key` on `target` as a plain own data property. An assignment would not do for a JSON key
 * named `__proto__`: it would replace the object's prototype instead of storing the value.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
