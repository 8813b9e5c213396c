/** The built app (dist/) served by `vite preview` on 127.0.0.1, on a free port, for the headless drivers. */
import type { AddressInfo } from 'node:net';
import { preview } from 'vite';

/** A running server and its origin. */
export interface AppServer {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Serves dist/ as `npm run preview` does, on a port the OS picks. */
export async function serveApp(): Promise<AppServer> {
  const server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const { port } = server.httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
