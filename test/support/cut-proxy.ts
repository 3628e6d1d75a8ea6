// A loopback TCP proxy that can cut a connection in the middle of a chosen request, to test what a
// store reports when the link dies mid-query:
//   'before-server': the request never reaches the server (nothing can have been written);
//   'after-server':  the server receives and executes it, the reply is swallowed and the
//                    connection closed (the write committed, the client must not learn "true").
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './services.js';

export type CutMode = 'before-server' | 'after-server';

export interface CutProxy {
  readonly port: number;
  /**
   * Cuts the next connection whose client→server bytes contain `marker` (case-insensitive). In
   * 'after-server' mode the cut happens at the first server→client chunk after that which contains
   * `replyMarker` (any chunk if omitted), e.g. 'UPDATE 1' for PostgreSQL's CommandComplete when the
   * driver does a describe round trip first.
   */
  arm(marker: string, mode: CutMode, replyMarker?: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port forwarding to 127.0.0.1:`targetPort`. */
export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  const sockets = new Set<Socket>();
  let armed: { marker: string; mode: CutMode; reply: string | undefined; done: () => void } | null = null;

  const server: Server = createServer((client) => {
    const upstream = connect({ port: targetPort, host: '127.0.0.1' });
    sockets.add(client).add(upstream);
    let cutting = false; // before-server: drop everything from now on
    let swallowing: { reply: string | undefined } | null = null; // after-server: forward requests, cut at the reply
    const destroy = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', destroy);
    upstream.on('error', destroy);
    client.on('data', (chunk: Buffer) => {
      if (cutting) return;
      if (swallowing) {
        upstream.write(chunk);
        return;
      }
      const trigger = armed;
      if (trigger && chunk.toString('latin1').toLowerCase().includes(trigger.marker)) {
        armed = null;
        if (trigger.mode === 'before-server') {
          cutting = true;
          destroy();
        } else {
          // Forward (and whatever follows, e.g. Bind/Execute/Sync), wait for the server's first
          // reply byte (it executed), swallow it and cut.
          swallowing = { reply: trigger.reply };
          upstream.write(chunk);
        }
        trigger.done();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (swallowing) {
        if (swallowing.reply === undefined || chunk.toString('latin1').includes(swallowing.reply)) destroy();
        else client.write(chunk);
      } else if (!cutting) client.write(chunk);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    arm: (marker, mode, replyMarker) =>
      new Promise<void>((resolve) => {
        armed = { marker: marker.toLowerCase(), mode, reply: replyMarker, done: resolve };
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
