// The few protobuf wire-format pieces the Google Authenticator export needs: varints (up to 64
// bits), length-delimited fields, and skipping unknown fields. Readers throw ProtobufError on
// malformed input; callers turn it into a result.
// See https://protobuf.dev/programming-guides/encoding/
import { utf8Encode } from './utf8.js';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class ProtobufError extends Error {}

/** Sequential reader over one message. */
export class ProtoReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads a field key: [field number, wire type]. */
  key(): [field: number, wire: number] {
    const key = this.varint();
    const field = Number(key >> 3n);
    if (field < 1 || field > 0x1fffffff) throw new ProtobufError('invalid field number');
    return [field, Number(key & 7n)];
  }

  /** Reads an unsigned varint of at most 10 bytes, as a 64-bit unsigned bigint. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new ProtobufError('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** Reads a length-delimited field's payload (a view, not a copy). */
  bytes(): Uint8Array {
    const length = this.varint();
    if (length > BigInt(this.buf.length - this.pos)) throw new ProtobufError('truncated length-delimited field');
    const start = this.pos;
    this.pos += Number(length);
    return this.buf.subarray(start, this.pos);
  }

  /** Skips a field of the given wire type (groups are not supported). */
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_LEN) this.bytes();
    else if (wire === WIRE_I64 || wire === WIRE_I32) {
      this.pos += wire === WIRE_I64 ? 8 : 4;
      if (this.pos > this.buf.length) throw new ProtobufError('truncated fixed-width field');
    } else throw new ProtobufError('unsupported wire type');
  }
}

/** Appends protobuf fields to a growing byte list. */
export class ProtoWriter {
  private readonly out: number[] = [];

  /** An unsigned varint field; negative int32/int64 values are written as 64-bit two's complement. */
  varint(field: number, value: number | bigint): this {
    this.rawVarint((field << 3) | WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A length-delimited field. */
  bytes(field: number, data: Uint8Array): this {
    this.rawVarint((field << 3) | WIRE_LEN);
    this.rawVarint(data.length);
    for (const b of data) this.out.push(b);
    return this;
  }

  /** A UTF-8 string field. */
  string(field: number, text: string): this {
    return this.bytes(field, utf8Encode(text));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  private rawVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.out.push(Number(v));
  }
}
