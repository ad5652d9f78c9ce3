/**
 * Where notices go. A provider delivers one notice or throws; a `NoticeDeliveryError` with `permanent`
 * stops the retries (the gateway refused the notice itself), anything else is tried again later.
 *
 * - `FileNoticeProvider` (the default): appends one JSON line per notice to `<data dir>/notices/notices.jsonl`,
 *   with the phone number masked. Nothing leaves the terminal.
 * - `WebhookNoticeProvider`: POSTs the notice as JSON to an SMS/email gateway, or a CRM event to a store's
 *   CRM, signed as `signing.ts` describes. 2xx is delivered; 408, 429 and 5xx are retried; any other 4xx is
 *   permanent.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notice } from '../../../db/notices';
import { DELIVERY_HEADER, EVENT_HEADER, signedHeaders } from './signing';

export interface Recipient {
  name: string;
  phone: string | null;
}

export interface NoticeProvider {
  readonly name: string;
  deliver(notice: Notice, recipient: Recipient | null): Promise<void>;
}

export class NoticeDeliveryError extends Error {
  override readonly name = 'NoticeDeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function maskPhone(phone: string | null): string | null {
  return phone === null ? null : phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
}

export class FileNoticeProvider implements NoticeProvider {
  readonly name = 'file';
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'notices', 'notices.jsonl');
  }

  async deliver(notice: Notice, recipient: Recipient | null): Promise<void> {
    await mkdir(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const line = {
      id: notice.id,
      topic: notice.topic,
      kind: notice.kind,
      to: recipient === null ? null : { name: recipient.name, phone: maskPhone(recipient.phone) },
      payload: notice.payload,
      at: new Date().toISOString(),
    };
    await appendFile(this.path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }
}

export interface WebhookOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
  now?: () => number;
}

export class WebhookNoticeProvider implements NoticeProvider {
  readonly name = 'webhook';

  constructor(private readonly options: WebhookOptions) {
    const url = new URL(options.url);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new NoticeDeliveryError('a webhook must use https (plain http only to this machine)', true);
    }
    if (options.secret.length < 16)
      throw new NoticeDeliveryError('a webhook secret has at least 16 characters', true);
  }

  async deliver(notice: Notice, recipient: Recipient | null): Promise<void> {
    const body = JSON.stringify(
      notice.topic === 'member' ? { ...notice.payload, to: recipient } : notice.payload,
    );
    const now = this.options.now ?? Date.now;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...signedHeaders(this.options.secret, body, now()),
          [EVENT_HEADER]: notice.kind,
          [DELIVERY_HEADER]: String(notice.id),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new NoticeDeliveryError(`webhook unreachable: ${(error as Error).message}`, false, {
        cause: error,
      });
    }
    await response.body?.cancel();
    if (response.ok) return;
    const retry = response.status === 408 || response.status === 429 || response.status >= 500;
    throw new NoticeDeliveryError(`webhook answered ${response.status}`, !retry);
  }
}
