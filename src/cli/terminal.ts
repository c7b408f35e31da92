import { Redactor } from '../core/redact';

export interface Streams {
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

type Style = 'red' | 'green' | 'yellow' | 'dim' | 'bold' | 'cyan';
const codes: Record<Style, [number, number]> = {
  red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39], dim: [2, 22], bold: [1, 22],
};

/** Everything the CLI prints goes through here: secrets are removed, colour is used only on a terminal. */
export class Terminal {
  readonly redactor = new Redactor();
  private readonly colourOut: boolean;
  private readonly colourErr: boolean;

  constructor(private readonly streams: Streams) {
    const allowed = !streams.env['NO_COLOR'] && streams.env['TERM'] !== 'dumb';
    this.colourOut = allowed && !!streams.stdout.isTTY;
    this.colourErr = allowed && !!streams.stderr.isTTY;
  }

  out(line = ''): void {
    this.streams.stdout.write(this.redactor.redact(line) + '\n');
  }

  err(line = ''): void {
    this.streams.stderr.write(this.redactor.redact(line) + '\n');
  }

  /** Whether standard error is a terminal (a live progress line can be redrawn there). */
  get errIsTerminal(): boolean {
    return !!this.streams.stderr.isTTY;
  }

  /** Writes to standard error as it is (no line break added), secrets removed. */
  errRaw(text: string): void {
    this.streams.stderr.write(this.redactor.redact(text));
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value));
  }

  style(style: Style, text: string, stream: 'out' | 'err' = 'out'): string {
    if (!(stream === 'out' ? this.colourOut : this.colourErr)) return text;
    const [open, close] = codes[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  }
}
