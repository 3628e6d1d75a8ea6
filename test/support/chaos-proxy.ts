// A loopback TCP proxy that cuts connections at random (seeded), in the middle of whatever the
// client is doing: connecting, authenticating, querying. Each client→server chunk is, with
// probability `rate`:
//   'before': dropped and the connection closed (the server never saw it);
//   'after':  forwarded, then the connection closed at the server's next reply, which the client
//             never sees (the server executed it; a write may have committed).
// Unlike cut-proxy.ts (one chosen cut at a marker), this drives randomized runs; `cuts` counts
// what it did. The cut points are a function of the seed and the byte stream's chunking, so a
// failing run is reproducible in kind, not byte for byte.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './services.js';

export interface ChaosProxy {
  readonly port: number;
  readonly cuts: { before: number; after: number; chunks: number };
  /** Probability of a cut per client chunk (0 turns the proxy into a plain forwarder). */
  rate: number;
  close(): Promise<void>;
}

/** mulberry32: small, seeded, good enough to pick cut points. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startChaosProxy(targetPort: number, options: { seed: number; rate: number }): Promise<ChaosProxy> {
  const random = seeded(options.seed);
  const sockets = new Set<Socket>();
  const proxy = {
    port: 0,
    cuts: { before: 0, after: 0, chunks: 0 },
    rate: options.rate,
    close: (): Promise<void> =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((client) => {
    const upstream = connect({ port: targetPort, host: '127.0.0.1' });
    sockets.add(client).add(upstream);
    let closing = false;
    let cutAtReply = false;
    const destroy = (): void => {
      closing = true;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', destroy);
    upstream.on('close', destroy);
    client.on('error', destroy);
    upstream.on('error', destroy);
    client.on('data', (chunk: Buffer) => {
      if (closing) return;
      proxy.cuts.chunks++;
      if (!cutAtReply && random() < proxy.rate) {
        if (random() < 0.5) {
          proxy.cuts.before++;
          destroy();
          return;
        }
        proxy.cuts.after++;
        cutAtReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (closing) return;
      if (cutAtReply) destroy();
      else client.write(chunk);
    });
  });
  proxy.port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(proxy.port, '127.0.0.1', () => resolve());
  });
  return proxy;
}
