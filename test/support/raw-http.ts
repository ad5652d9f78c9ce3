/**
 * One HTTP request with nothing added by a fetch implementation: any Host, Origin or Cookie header, any
 * Content-Type, and a Content-Length that may claim more than is sent (to see a server refuse a body it has
 * not read). The answer's status, headers and body (parsed when it is JSON).
 */
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Declare this Content-Length but send only `body` (the server must answer without waiting for the rest). */
    declaredLength?: number;
  } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (options.declaredLength !== undefined) headers['content-length'] = String(options.declaredLength);
    else if (body !== undefined) headers['content-length'] = String(body.length);
    const outgoing = request(url, { method: options.method ?? 'GET', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: keep the text.
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed, text });
        outgoing.destroy();
      });
    });
    outgoing.on('error', reject);
    if (body !== undefined) outgoing.write(body);
    if (options.declaredLength === undefined) outgoing.end();
  });
}

/** The stable code of an HQ error answer. */
export function codeOf(answer: RawAnswer): string | undefined {
  const body = answer.body as { error?: { code?: string } } | undefined;
  return body?.error?.code;
}
