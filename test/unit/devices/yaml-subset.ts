/**
 * A small YAML reader for the subset electron-builder.yml uses: nested block mappings and sequences,
 * sequences of mappings, flow sequences of scalars, quoted and plain scalars, folded/literal block scalars
 * and comments. Anything outside the subset throws, so a test never passes on a misread file.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly number: number;
}

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || text[i - 1] === ' ')) {
      return text.slice(0, i).trimEnd();
    }
  }
  return text.trimEnd();
}

function scalar(raw: string, line: number): YamlValue {
  const text = raw.trim();
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new Error(`line ${line}: unterminated string`);
    return JSON.parse(text) as string;
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new Error(`line ${line}: unterminated string`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new Error(`line ${line}: unterminated flow sequence`);
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    if (/[[\]{}]/.test(inner))
      throw new Error(`line ${line}: nested flow collections are outside the subset`);
    return inner.split(',').map((part) => scalar(part, line));
  }
  if (text.startsWith('{') || text.startsWith('&') || text.startsWith('*') || text.startsWith('!')) {
    throw new Error(`line ${line}: "${text}" is outside the subset`);
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null' || text === '~' || text === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

const KEY = /^([A-Za-z_][\w.-]*):(?:\s+(.*))?$/;

class Reader {
  private i = 0;
  constructor(
    private readonly lines: Line[],
    private readonly raw: string[],
  ) {}

  parse(): YamlValue {
    if (this.lines.length === 0) return null;
    const value = this.block(this.lines[0]?.indent ?? 0);
    const rest = this.lines[this.i];
    if (rest) throw new Error(`line ${rest.number}: unexpected indentation`);
    return value;
  }

  private block(indent: number): YamlValue {
    const first = this.lines[this.i];
    if (!first) return null;
    return first.text === '-' || first.text.startsWith('- ') ? this.sequence(indent) : this.mapping(indent);
  }

  private valueAfterKey(rest: string | undefined, indent: number, line: Line): YamlValue {
    if (rest === undefined || rest === '') {
      const next = this.lines[this.i];
      if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) {
        return this.block(next.indent);
      }
      return null;
    }
    if (/^[>|][-+]?$/.test(rest)) return this.blockScalar(rest, indent, line);
    return scalar(rest, line.number);
  }

  private blockScalar(style: string, indent: number, line: Line): string {
    const parts: string[] = [];
    while (this.lines[this.i] && (this.lines[this.i]?.indent ?? 0) > indent) {
      const next = this.lines[this.i] as Line;
      parts.push((this.raw[next.number - 1] ?? '').trim());
      this.i += 1;
    }
    if (parts.length === 0) throw new Error(`line ${line.number}: empty block scalar`);
    const joined = style.startsWith('>') ? parts.join(' ') : parts.join('\n');
    return style.endsWith('-') ? joined : `${joined}\n`;
  }

  private mapping(indent: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      if (line.text.startsWith('- ')) break;
      const match = KEY.exec(line.text);
      if (!match) throw new Error(`line ${line.number}: expected "key: value", got "${line.text}"`);
      const key = match[1] as string;
      if (key in out) throw new Error(`line ${line.number}: duplicate key ${key}`);
      this.i += 1;
      out[key] = this.valueAfterKey(match[2], indent, line);
    }
    const next = this.lines[this.i];
    if (next && next.indent > indent) throw new Error(`line ${next.number}: unexpected indentation`);
    return out;
  }

  private sequence(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      if (!(line.text === '-' || line.text.startsWith('- '))) break;
      const item = line.text.slice(1).trimStart();
      if (item === '') {
        this.i += 1;
        const next = this.lines[this.i];
        out.push(next && next.indent > indent ? this.block(next.indent) : null);
      } else if (KEY.test(item) && !item.startsWith('"') && !item.startsWith("'")) {
        // "- key: value" opens a mapping whose keys line up with "key".
        const column = indent + (line.text.length - item.length);
        this.lines[this.i] = { indent: column, text: item, number: line.number };
        out.push(this.mapping(column));
      } else {
        this.i += 1;
        out.push(scalar(item, line.number));
      }
    }
    return out;
  }
}

export function parseYaml(source: string): YamlValue {
  const raw = source.split('\n');
  const lines: Line[] = [];
  raw.forEach((text, index) => {
    if (text.includes('\t')) throw new Error(`line ${index + 1}: tabs are not allowed`);
    const stripped = stripComment(text);
    if (stripped.trim() === '') return;
    lines.push({
      indent: stripped.length - stripped.trimStart().length,
      text: stripped.trim(),
      number: index + 1,
    });
  });
  return new Reader(lines, raw).parse();
}
