/**
 * The `app://` scheme the desktop shell serves the renderer from. A page on `file://` shares its origin with
 * every file on the disk; on `app://counter/` it has an origin of its own, gets the CSP as a real header, and
 * can only ask for files under the renderer's build folder. Electron wires the handler up
 * (`protocol.handle('app', …)` in main.ts); it is plain fetch-API code, so it runs and is tested under Node.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../security';

export const APP_SCHEME = 'app';
export const APP_HOST = 'counter';
/** The one page the counter window loads; IPC and navigation checks compare against it. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

function refuse(status: 403 | 404 | 405): Response {
  return new Response(null, { status, headers: { 'content-security-policy': contentSecurityPolicy() } });
}

/** Answers `app://counter/<path>` with the file under `rendererDir`; nothing outside it, nothing but GET. */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir + sep);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(404);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return refuse(404);
    }
    if (path.includes('\0')) return refuse(404);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) return refuse(403);
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (type === undefined) return refuse(404);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return refuse(404);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': type,
        'content-security-policy': contentSecurityPolicy(),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      },
    });
  };
}
