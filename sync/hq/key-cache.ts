/**
 * A short-lived cache of terminal keys in front of HQ's database. Entries expire, so a terminal revoked
 * through another HQ process is refused here too within `ttlMs`; ids the database does not know are cached as
 * unknown for the same time, so a flood of made-up terminal ids does not become a flood of queries.
 */
export interface TerminalKeyEntry {
  key: string;
  revoked: boolean;
}

const MAX_ENTRIES = 50_000;
export const DEFAULT_KEY_TTL_MS = 10_000;

export class TerminalKeyCache {
  private readonly entries = new Map<string, { entry: TerminalKeyEntry | null; until: number }>();

  constructor(
    private readonly load: (terminalId: string) => Promise<TerminalKeyEntry | undefined>,
    private readonly ttlMs = DEFAULT_KEY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(terminalId: string): Promise<TerminalKeyEntry | undefined> {
    const at = this.now();
    const cached = this.entries.get(terminalId);
    if (cached && cached.until > at) return cached.entry ?? undefined;
    const entry = (await this.load(terminalId)) ?? null;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(terminalId, { entry, until: at + this.ttlMs });
    return entry ?? undefined;
  }

  /** This process changed the terminal (enrolled, revoked): the next lookup reads the database. */
  forget(terminalId: string): void {
    this.entries.delete(terminalId);
  }
}
