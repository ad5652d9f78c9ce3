/**
 * Removes personal and card data from log text before it leaves the terminal in a diagnostics bundle:
 * magstripe track data, Chinese mobile numbers, 18-digit resident ID numbers, 13–19-digit card numbers
 * (PANs and member card numbers) and hex strings longer than 8 characters (card UIDs, raw APDU dumps).
 * Payment-card track data must never be stored (PCI DSS 3.3.1.1) and phone and ID numbers are personal
 * information under PIPL, so the rules err on the side of masking.
 *
 * JSON log lines (pino) are walked value by value, so the `time` and `pid` fields keep their numbers while
 * the same digits in a message are masked; values under sensitive keys are dropped whole.
 */

export const MASK = {
  track: '[TRACK]',
  phone: '[PHONE]',
  id: '[ID]',
  card: '[CARD]',
  hex: '[HEX]',
  redacted: '[REDACTED]',
} as const;

const TRACK1 = /%B[^?\n"]*\??/g;
const TRACK2 = /;\d{1,19}=[^?\n"]*\??/g;
const PHONE = /(?<![\d])(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?![\d])/g;
const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?![\dA-Za-z])/g;
const CARD_PLAIN = /(?<!\d)\d{13,19}(?!\d)/g;
const CARD_GROUPED = /(?<![\d])\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?(?![\d])/g;
const UUID = /(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/gi;
/** A hex token with at least one letter: masked before the digit rules can cut a UID into pieces. */
const HEX_WITH_LETTER = /(?<![0-9A-Za-z])(?:0x)?(?=[0-9]*[A-Fa-f])[0-9A-Fa-f]{9,}(?![0-9A-Za-z])/g;
/** Whatever standalone hex (digits included) the rules before left: a decimal UID, a long number. */
const HEX_RUN = /(?<![0-9A-Za-z])(?:0x)?[0-9A-Fa-f]{9,}(?![0-9A-Za-z])/g;
const HEX_BYTES = /(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2}[:\- ]){4,}[0-9A-Fa-f]{2}(?![0-9A-Za-z])/g;

/** Field names whose values are personal or card data whatever they look like. */
const SENSITIVE_KEY =
  /phone|mobile|tel$|id_?(?:number|no|card)|idcard|^pan$|track|^uid$|card_?(?:number|no)|secret|password|^pin$|key$|token/i;
/** Numeric fields that are never personal data and that support needs as they are. */
const SAFE_NUMBER_KEYS = new Set([
  'time',
  'ts',
  'at',
  'pid',
  'level',
  'ms',
  'durationMs',
  'latencyMs',
  'count',
]);

/** Masks personal and card data in free text. */
export function redactText(text: string): string {
  const uuids: string[] = [];
  return text
    .replace(TRACK1, MASK.track)
    .replace(TRACK2, MASK.track)
    .replace(UUID, (uuid) => {
      // Operation ids (UUIDv7) are what support correlates with HQ; keep them out of the hex rule.
      uuids.push(uuid);
      return `\u0000${uuids.length - 1}\u0000`;
    })
    .replace(HEX_BYTES, MASK.hex)
    .replace(HEX_WITH_LETTER, MASK.hex)
    .replace(PHONE, MASK.phone)
    .replace(ID_NUMBER, MASK.id)
    .replace(CARD_GROUPED, MASK.card)
    .replace(CARD_PLAIN, MASK.card)
    .replace(HEX_RUN, MASK.hex)
    .replace(/\u0000(\d+)\u0000/g, (_, index: string) => uuids[Number(index)] ?? '');
}

function redactValue(value: unknown, key: string | undefined): unknown {
  if (key !== undefined && SENSITIVE_KEY.test(key) && value !== null && typeof value !== 'object') {
    return MASK.redacted;
  }
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number') {
    if (key !== undefined && SAFE_NUMBER_KEYS.has(key)) return value;
    const masked = redactText(String(value));
    return masked === String(value) ? value : masked;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, undefined));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k);
    return out;
  }
  return value;
}

/** Masks one log line; a JSON object line stays valid JSON. */
export function redactLine(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      return JSON.stringify(redactValue(JSON.parse(trimmed), undefined));
    } catch {
      // not JSON after all: treat as text
    }
  }
  return redactText(line);
}
