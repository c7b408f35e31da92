import { randomBytes } from 'node:crypto';
import { Redactor } from '../core/redact';

export interface Streams {
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

type Style = 'red' | 'green' | 'yellow' | 'dim' | 'bold' | 'cyan';
const codes: Record<Style, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/**
 * What could act on a terminal instead of being shown: C0 controls but tab, DEL, C1 controls (U+009B is
 * CSI on some terminals), the Unicode line and paragraph separators, and the bidirectional embeddings,
 * overrides and isolates that reorder text on screen.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const activeCharacters = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same minus C0 (JSON.stringify escapes those already). */
const rawInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, digits: number): string => c.charCodeAt(0).toString(16).padStart(digits, '0');

/** The text with every active character written out as an escape (ESC becomes `\x1b`, a line break `\n`). */
export function inert(text: string): string {
  return text.replace(activeCharacters, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c < '\u0100' ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * Everything the CLI prints goes through here. Text is untrusted (Graph's answers, file names, sign-in
 * messages): secrets are removed, then every active character is made visible. Colour comes only from
 * `style()`, which wraps text in markers made of private-use characters and a key chosen at random for this
 * run, so no text from outside can forge one; the markers become escape sequences (or nothing, without a
 * colour terminal) only after the text has been made inert.
 */
export class Terminal {
  readonly redactor = new Redactor();
  private readonly colourOut: boolean;
  private readonly colourErr: boolean;
  private readonly key = String.fromCharCode(...[...randomBytes(6)].map((byte) => 0xe000 + byte));
  private readonly marker = new RegExp(`${this.key}(${Object.keys(codes).join('|')})([+-])`, 'g');

  constructor(private readonly streams: Streams) {
    const allowed = !streams.env['NO_COLOR'] && streams.env['TERM'] !== 'dumb';
    this.colourOut = allowed && !!streams.stdout.isTTY;
    this.colourErr = allowed && !!streams.stderr.isTTY;
  }

  /** One line on standard output; a line break inside it is shown as `\n`, not obeyed. */
  out(line = ''): void {
    this.streams.stdout.write(this.render(line, this.colourOut) + '\n');
  }

  /** One line on standard error. */
  err(line = ''): void {
    this.streams.stderr.write(this.render(line, this.colourErr) + '\n');
  }

  /** Text whose line breaks are its own (the usage, a request or response as sent): each line is made inert. */
  outBlock(text: string): void {
    for (const line of text.split(/\r?\n/)) this.out(line);
  }

  errBlock(text: string): void {
    for (const line of text.split(/\r?\n/)) this.err(line);
  }

  /** One JSON line. C1 controls, U+2028/9 and bidirectional controls are escaped too; the JSON stays the same value. */
  /** Whether standard error is a terminal (a live progress line can be redrawn there). */
  get errIsTerminal(): boolean {
    return !!this.streams.stderr.isTTY;
  }

  /** Draws (or, with undefined, clears) the one live line at the bottom of standard error; its text is made inert. */
  errLiveLine(line: string | undefined): void {
    this.streams.stderr.write(`\r\u001b[2K${line === undefined ? '' : this.render(line, this.colourErr)}`);
  }

  json(value: unknown): void {
    const text = JSON.stringify(value).replace(rawInJson, (c) => `\\u${hex(c, 4)}`);
    this.streams.stdout.write(this.redactor.redact(text) + '\n');
  }

  /** Text in a colour or weight, for a terminal that shows them; the stream is chosen when the line is written. */
  style(style: Style, text: string, _stream?: 'out' | 'err'): string {
    return `${this.key}${style}+${text}${this.key}${style}-`;
  }

  private render(text: string, colour: boolean): string {
    return inert(this.redactor.redact(text)).replace(this.marker, (_, style: Style, edge: string) => {
      if (!colour) return '';
      const [open, close] = codes[style];
      return `\u001b[${edge === '+' ? open : close}m`;
    });
  }
}
