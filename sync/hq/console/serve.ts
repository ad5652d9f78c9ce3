/**
 * The console's files: one HTML page, its stylesheet and its script (the React app in `client/`, bundled by
 * esbuild the first time it is asked for and kept in memory). The page itself holds nothing secret; it signs
 * in and reads everything through the admin routes, so it is served to anyone who reaches HQ's origin.
 * A strict CSP: scripts and styles from HQ only, no framing, requests to HQ only.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyncError } from '../../errors';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLIENT_ENTRY = join(HERE, 'client', 'main.tsx');
const STYLESHEET = join(HERE, 'client', 'console.css');

export const CONSOLE_PATH = '/console';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>总部控制台 · HQ console</title><link rel="stylesheet" href="/console/console.css">
<script src="/console/app.js" defer></script></head>
<body><div id="root"></div></body></html>`;

let bundled: Promise<string> | undefined;

/** The app as one script, built once per process. */
function appScript(): Promise<string> {
  bundled ??= import('esbuild')
    .then(({ build }) =>
      build({
        entryPoints: [CLIENT_ENTRY],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        jsx: 'automatic',
        minify: true,
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      }),
    )
    .then((result) => result.outputFiles[0]!.text)
    .catch((cause: unknown) => {
      bundled = undefined;
      throw new SyncError('CONSOLE_BUILD_FAILED', 'The console script could not be built.', { cause });
    });
  return bundled;
}

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

export async function serveConsole(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    throw new SyncError('ROUTE_UNKNOWN', 'No such route.');
  const common = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
  if (path === `${CONSOLE_PATH}/app.js`) {
    const script = await appScript();
    response.writeHead(200, { ...common, 'content-type': 'text/javascript; charset=utf-8' });
    response.end(script);
    return;
  }
  if (path === `${CONSOLE_PATH}/console.css`) {
    response.writeHead(200, { ...common, 'content-type': 'text/css; charset=utf-8' });
    response.end(readFileSync(STYLESHEET));
    return;
  }
  // Every other path under /console is the app's own page (it picks its view from the path).
  response.writeHead(200, {
    ...common,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
  });
  response.end(PAGE);
}
