/**
 * HQ's routes for customer ratings:
 *
 *   GET  /rate/<token>[?lang=en]   public: the page a receipt's QR opens (stars as plain form buttons)
 *   POST /rate/<token>[?lang=en]   public: `stars=1..5` (and an optional `comment`) as a form post, once per visit
 *   GET  /ratings                  signed in: the managers' page of ratings per store, cashier and week
 *   GET  /admin/ratings            signed in: the same as JSON (in `admin.ts` with the other admin routes)
 *
 * The public routes need no session: the token the till signed is the permission, and it rates one visit once,
 * so a form post from anywhere gains nothing a customer could not do. They are still held to HQ's host names,
 * a tiny body, and a per-address limit of their own on posts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SyncError } from '../errors';
import { type AdminContext, signedIn } from './admin';
import { readBody } from './http';
import type { RequestLimiter } from './limits';
import {
  MAX_COMMENT,
  type RatingLanguage,
  type RatingPageState,
  renderRatingPage,
  renderRatingsReport,
} from './rating-page';
import { HqRatings } from './ratings';

/** `stars=5` and a short comment (200 characters, percent-encoded UTF-8), and nothing much else. */
const RATING_BODY = 2048;

const STATUS: Record<string, number> = {
  RATING_TOKEN_INVALID: 404,
  RATING_TOKEN_EXPIRED: 410,
  RATING_INVALID: 400,
  RATING_ALREADY_GIVEN: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function sendHtml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': CSP,
  });
  response.end(body);
}

function ratingOf(request: IncomingMessage, body: Buffer): { stars: number; comment: string | null } {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new SyncError('UNSUPPORTED_MEDIA_TYPE', 'A rating is sent as a form.', {
      details: { contentType: type },
    });
  }
  const form = new URLSearchParams(body.toString('utf8'));
  const value = form.get('stars') ?? '';
  if (!/^[1-5]$/.test(value)) {
    throw new SyncError('RATING_INVALID', 'A rating is 1 to 5 stars.', { details: { stars: value } });
  }
  const comment = [...(form.get('comment') ?? '').trim()].slice(0, MAX_COMMENT).join('');
  return { stars: Number(value), comment: comment === '' ? null : comment };
}

/** Serves a rating route; false when the path is not one of them. */
export async function handleRatings(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: AdminContext,
  limiter: RequestLimiter,
  address: string,
): Promise<boolean> {
  const path = url.pathname;
  const method = request.method ?? 'GET';
  if (path === '/ratings' && method === 'GET') {
    context.origins.checkHost(request);
    const principal = await signedIn(request, context, context.now());
    if (!principal) throw new SyncError('LOGIN_REQUIRED', 'Sign in to HQ first.');
    sendHtml(response, 200, renderRatingsReport(await new HqRatings(context.service).report()));
    return true;
  }
  const match = /^\/rate\/([^/]{1,1100})$/.exec(path);
  if (!match || (method !== 'GET' && method !== 'POST')) return false;
  context.origins.checkHost(request);
  const language: RatingLanguage = url.searchParams.get('lang') === 'en' ? 'en' : 'zh-CN';
  const token = match[1]!;
  const ratings = new HqRatings(context.service);
  let release = () => {};
  try {
    let state: RatingPageState;
    if (method === 'POST') {
      context.origins.checkOrigin(request, false);
      release = limiter.enter(address, context.now());
      const { stars, comment } = ratingOf(request, await readBody(request, RATING_BODY));
      await ratings.rate(token, stars, context.now(), comment);
      state = { kind: 'thanks' };
    } else {
      const visit = await ratings.visit(token, context.now());
      state =
        visit.stars === null
          ? { kind: 'ask', token, storeName: visit.storeName, staffName: visit.claims.staffName }
          : { kind: 'given', stars: visit.stars };
    }
    sendHtml(response, 200, renderRatingPage(state, language, path));
  } catch (error) {
    const status = error instanceof SyncError ? STATUS[error.code] : undefined;
    if (!(error instanceof SyncError) || status === undefined) throw error;
    sendHtml(response, status, renderRatingPage({ kind: 'refused', code: error.code }, language, path));
  } finally {
    release();
  }
  return true;
}
