/**
 * A `fetch` for the benches' simulated terminals over node:http with one keep-alive agent: a thousand
 * terminals in one process are a load generator, and the web-streams machinery of the built-in fetch costs it
 * several times the CPU of a plain request, CPU the HQ under test then does not get on a shared machine. The
 * terminals still go through HqHttpClient (signing, the answers' checks, retries): only the transport differs.
 * Plain http:// only, text bodies only: what the benches send.
 */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

export const leanFetch = ((input: URL | string, init: RequestInit = {}): Promise<Response> =>
  new Promise((resolve, reject) => {
    const url = typeof input === 'string' ? new URL(input) : input;
    const outgoing = request(
      url,
      { agent, method: init.method ?? 'GET', headers: init.headers as Record<string, string> },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const status = incoming.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status,
            ok: status >= 200 && status < 300,
            headers: { get: (name: string) => (incoming.headers[name.toLowerCase()] as string) ?? null },
            text: async () => text,
          } as unknown as Response);
        });
      },
    );
    const signal = init.signal;
    if (signal) {
      if (signal.aborted) outgoing.destroy(signal.reason as Error);
      else signal.addEventListener('abort', () => outgoing.destroy(signal.reason as Error), { once: true });
    }
    outgoing.on('error', reject);
    outgoing.end(typeof init.body === 'string' ? init.body : undefined);
  })) as typeof fetch;
