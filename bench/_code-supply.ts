// Codes computed ahead for a time-bounded benchmark: a chunk at a time, refilled when it runs out,
// so a faster machine never runs out of inputs. The time spent refilling is recorded in
// `excluded`, which `sustained` subtracts from its wall-clock and CPU measurements, so the figure
// still counts only the operation under test.
import type { Excluded } from './_sustained.js';

export class CodeSupply {
  readonly excluded: Excluded = { wallMs: 0, cpuMicros: 0 };
  private codes: string[] = [];
  private next = 0;
  private produced = 0;

  /** `codeAt(k)` is the k-th code (k = 0, 1, …); `chunk` codes are computed per refill. */
  constructor(
    private readonly codeAt: (k: number) => string,
    private readonly chunk = 100_000,
  ) {
    this.refill();
  }

  take(): string {
    if (this.next === this.codes.length) this.refill();
    return this.codes[this.next++]!;
  }

  private refill(): void {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    this.codes = Array.from({ length: this.chunk }, (_, i) => this.codeAt(this.produced + i));
    this.produced += this.chunk;
    this.next = 0;
    const used = process.cpuUsage(cpu);
    this.excluded.wallMs += performance.now() - wall;
    this.excluded.cpuMicros += used.user + used.system;
  }
}
