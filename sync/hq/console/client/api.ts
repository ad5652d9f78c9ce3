/**
 * The console talks to HQ's admin routes only, with its session cookie (HttpOnly, SameSite=Strict): every
 * request is JSON, and the browser names this page's origin on every change, which HQ insists on.
 */
export class HqRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

async function refusalOf(response: Response): Promise<HqRefusal> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  } | null;
  return body?.error
    ? new HqRefusal(body.error.code, body.error.message, body.error.details)
    : new HqRefusal(`HTTP_${response.status}`, response.statusText);
}

/** Sent on the window when HQ says nobody is signed in any more. */
export const SIGNED_OUT = 'hq-console-signed-out';

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new HqRefusal('NETWORK', String(cause));
  }
  if (!response.ok) {
    const refusal = await refusalOf(response);
    // The session ended (expired, signed out elsewhere, the user disabled): back to the sign-in form.
    if (refusal.code === 'LOGIN_REQUIRED' && path !== '/admin/session')
      window.dispatchEvent(new Event(SIGNED_OUT));
    throw refusal;
  }
  return (await response.json()) as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, body);

/** Fetches a file HQ makes (an export) and hands it to the browser as a download under HQ's name for it. */
export async function download(path: string): Promise<void> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) throw await refusalOf(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Fen as ¥ with two decimals; integer arithmetic only. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "123.45" or "100" typed by a person, as fen; null when it is not an amount. */
export function fenOf(text: string): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Today as YYYY-MM-DD in the browser's own calendar. */
export function today(): string {
  const date = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
