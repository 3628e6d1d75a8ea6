// The part of node:sqlite (Node ≥ 22.5) the examples use. The repository's @types/node follows its
// Node 20 engine, which has no node:sqlite; an app on Node 22+ gets these from @types/node 22+.
declare module 'node:sqlite' {
  export class DatabaseSync {
    constructor(path: string);
    exec(sql: string): void;
    prepare(sql: string): {
      run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
      get(...params: unknown[]): unknown;
      all(...params: unknown[]): unknown[];
    };
    close(): void;
  }
}
