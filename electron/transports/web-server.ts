/**
 * Browser mode: the built renderer over HTTP on 127.0.0.1 and the API over a WebSocket on the same port.
 * The WebSocket is guarded by a token created at launch and handed to the browser in the URL fragment (a
 * fragment never travels in a request, so it does not end up in any log), and by an Origin check so that
 * another page open in the same browser cannot drive the till.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClientMessage, EventName, HostMessage } from '../contract';
import type { Api } from '../host/api';
import type { DeviceHub } from '../host/hub';
import type { Logger } from '../host/logger';
import { Session } from '../host/session';
import { contentSecurityPolicy } from '../security';

export const API_PATH = '/api';
const MAX_MESSAGE_BYTES = 64 * 1024;

/** Events every screen may see, logged in or not (the status bar on the login screen). */
const PUBLIC_EVENTS: ReadonlySet<EventName> = new Set(['device.status', 'sync.status', 'customer.display']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface WebServerOptions {
  api: Api;
  hub: DeviceHub;
  logger: Logger;
  /** The built renderer (`renderer/dist`). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  port: number;
  token: string;
  /** What the launcher prints and the browser opens; carries the token in its fragment. */
  url: string;
  close(): Promise<void>;
}

function tokensMatch(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isClientMessage(value: unknown): value is ClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Partial<ClientMessage>;
  return message.type === 'call' && Number.isSafeInteger(message.id) && typeof message.command === 'string';
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = resolve(options.staticDir);
  let origin = '';

  const serveFile = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', origin).pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const relative = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^[/\\]+/, '');
    const file = join(root, relative);
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'content-security-policy': contentSecurityPolicy([origin.replace(/^http/, 'ws')]),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  };

  const server = createServer(serveFile);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    const refuse = (status: number, reason: string) => {
      options.logger.warn({ reason, remote: request.socket.remoteAddress }, 'websocket refused');
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\n\r\n`);
    };
    if (url.pathname !== API_PATH) return refuse(404, 'Not Found');
    if (!tokensMatch(token, url.searchParams.get('token'))) return refuse(401, 'Unauthorized');
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return refuse(403, 'Forbidden');
    sockets.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });

  const connect = (ws: WebSocket) => {
    const session = new Session('ws');
    const send = (message: HostMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = options.hub.subscribe((event, payload) => {
      if (session.staff !== null || PUBLIC_EVENTS.has(event)) send({ type: 'event', event, payload });
    });
    ws.on('message', async (data, isBinary) => {
      let message: unknown;
      try {
        message = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        message = undefined;
      }
      if (!isClientMessage(message)) {
        ws.close(1003, 'malformed message');
        return;
      }
      const reply = await options.api.call(session, message.command, message.input);
      send({ type: 'reply', id: message.id, reply });
    });
    ws.on('close', () => {
      unsubscribe();
      session.logOut();
    });
    ws.on('error', (error) => options.logger.warn({ err: error }, 'websocket error'));
  };

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ready());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    port,
    token,
    url: `${origin}/#token=${token}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
