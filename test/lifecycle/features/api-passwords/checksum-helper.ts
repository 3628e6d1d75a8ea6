// The checksum of a key head, to build a well-formed key with a chosen id and secret in tests.
export { checksum as checksumFor } from '../../../../src/_internal/token-checksum.js';
