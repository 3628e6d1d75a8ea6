// Types for scripts/packed-app.mjs, so TypeScript tests can import it.
export declare const repoRoot: string;
export declare function packTarball(outDir: string): string;
export declare function packedApp(options?: { dependencies?: Record<string, string>; name?: string }): { dir: string; tarball: string };
