/**
 * The managers' page: terminals and their lag, open sync errors, flagged overdrafts, the settlement report and
 * the bonus rules HQ published; and the sign-in form shown instead until someone signs in.
 */
import { formatFen } from '../../common/money';
import type { HqPrincipal } from './accounts';
import type { HqReport } from './service';

const STYLE = `<style>
body{font:14px system-ui,"WenQuanYi Micro Hei",sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
th{background:#f3f3f3}.empty{color:#777}.figure{font-size:1.4rem;font-weight:600}
form.login{display:grid;gap:.6rem;max-width:20rem}.error{color:#b00020}
</style>`;

/**
 * The page's only script (served as /login.js under `script-src 'self'`): signs in and out with JSON requests,
 * so HQ never has to take a form post.
 */
export const LOGIN_SCRIPT = `'use strict';
const form = document.getElementById('login');
if (form) form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  const response = await fetch('/admin/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: form.username.value, password: form.password.value }),
  });
  if (response.ok) { location.reload(); return; }
  const answer = await response.json().catch(() => null);
  const code = answer && answer.error ? answer.error.code : String(response.status);
  error.textContent = code === 'LOGIN_FAILED'
    ? '用户名或密码错误 / Wrong username or password'
    : code === 'RATE_LIMITED' ? '尝试次数过多，请稍后再试 / Too many attempts, try again later' : code;
});
const out = document.getElementById('sign-out');
if (out) out.addEventListener('click', async () => {
  await fetch('/admin/session', { method: 'DELETE', headers: { 'content-type': 'application/json' } });
  location.reload();
});
`;

export function renderLogin(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>总部登录 / HQ sign-in</title>${STYLE}
<script src="/login.js" defer></script></head><body>
<h1>总部登录 / HQ sign-in</h1>
<p><a href="/console">打开总部控制台 / Open the HQ console</a></p>
<form class="login" id="login">
<label>用户名 / Username <input name="username" autocomplete="username" required></label>
<label>密码 / Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录 / Sign in</button>
<p class="error" id="login-error" role="alert"></p>
</form></body></html>`;
}

function html(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Fen as yuan with two decimals, for display only. */
function yuan(fen: number): string {
  return formatFen(fen, { symbol: '¥', grouped: false });
}

function when(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function table(headings: string[], body: string[][]): string {
  if (body.length === 0) return '<p class="empty">None.</p>';
  const head = headings.map((heading) => `<th>${html(heading)}</th>`).join('');
  const rows = body.map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderPage(report: HqReport, user?: HqPrincipal): string {
  const terminals = table(
    ['Terminal', 'Store', 'Last seq', 'Last seen', 'Lag', 'Waiting', 'Open errors', 'Last error', 'State'],
    report.terminals.map((row) => [
      html(row.terminalId),
      html(row.storeId),
      html(row.lastSeq),
      html(when(row.lastSeenAt)),
      html(duration(row.lagMs)),
      html(row.waiting ?? '—'),
      html(row.openRejections),
      html(row.lastErrorCode ?? ''),
      row.revokedAt === null ? 'enrolled' : `revoked ${html(when(row.revokedAt))}`,
    ]),
  );
  const errors = table(
    ['Operation', 'Terminal', 'Seq', 'Kind', 'Code', 'Message'],
    report.rejections.map((row) => [
      html(row.operationId),
      html(row.terminalId),
      html(row.seq),
      html(row.kind),
      html(row.code),
      html(row.message),
    ]),
  );
  const overdrafts = table(
    ['Card', 'Store', 'Terminal', 'Operation', 'Spent', 'Balance after', 'Detected'],
    report.overdrafts.map((row) => [
      html(row.cardId),
      html(row.storeId),
      html(row.terminalId),
      html(row.operationId),
      html(yuan(row.amount)),
      html(yuan(row.balanceAfter)),
      html(when(row.detectedAt)),
    ]),
  );
  const settlement = table(
    ['Issuing store', 'Acting store', 'Redeemed there', 'Loaded there', 'Issuer owes'],
    report.settlement.map((row) => [
      html(row.issuerStoreId),
      html(row.actingStoreId),
      html(yuan(row.redeemed)),
      html(yuan(row.loaded)),
      html(yuan(row.net)),
    ]),
  );
  const rules = table(
    ['Rule', 'Store', 'Version', 'Name', 'State', 'Published', 'By'],
    report.rules.map((row) => [
      html(row.ruleId),
      html(row.storeId),
      html(row.version),
      html(row.name),
      row.retired ? 'retired' : 'in force',
      html(when(row.publishedAt)),
      html(row.by),
    ]),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>HQ — chain sync</title>${STYLE}
<script src="/login.js" defer></script></head><body>
${user ? `<p>Signed in as <span id="user">${html(user.username)}</span> (${html(user.role)}) <button id="sign-out">Sign out</button></p>` : ''}
<h1>Chain sync</h1>
<p><a href="/ratings">顾客评价 / Customer ratings</a></p>
<p><a href="/console" id="console-link">Open the HQ console (stores, terminals, rules, settlement)</a></p>
<p>Generated ${html(when(report.generatedAt))} UTC.
Chain-wide liability <span class="figure" id="liability">${html(yuan(report.liability))}</span> over ${html(report.cards)} cards.
Offline caps: ${html(yuan(report.caps.perCardFen))} per card, ${html(yuan(report.caps.perTerminalFen))} per terminal,
${html(duration(report.caps.maxAgeMs))} since last contact.</p>
<p>Typed card numbers: <span id="keyed-entry">secured ${html(report.keyedEntry.secured)}, UID ${html(report.keyedEntry.uid)},
magstripe ${html(report.keyedEntry.magstripe)}, keyed ${html(report.keyedEntry.keyed)}</span>.</p>
<h2>Terminals</h2>${terminals}
<h2>Sync errors</h2>${errors}
<h2>Flagged overdrafts</h2>${overdrafts}
<h2>Inter-store settlement</h2>${settlement}
<h2>Bonus rules</h2>${rules}
</body></html>`;
}
