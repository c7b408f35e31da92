import vscode = require('vscode');
import { l10n } from 'vscode';
import { Redactor } from '../core/redact';

/**
 * The "Intune" output channel. Everything written passes through one Redactor that is told every token
 * the extension obtains, and also removes anything shaped like a JWT or a bearer value.
 */
export class IntuneLog implements vscode.Disposable {
  private channelOnceWritten: vscode.LogOutputChannel | undefined;
  private readonly redactor = new Redactor();
  /** What was written, kept only in a test run (for the integration tests), after redaction like the channel. */
  private mirror: string | undefined;

  constructor(keepCopyForTests: boolean) {
    if (keepCopyForTests) this.mirror = '';
  }

  /** Created with the first line, so a window that only edits a file has no channel to carry. */
  private get channel(): vscode.LogOutputChannel {
    return (this.channelOnceWritten ??= vscode.window.createOutputChannel(l10n.t('Intune'), { log: true }));
  }

  /** Makes sure this value never reaches the channel. */
  addSecret(secret: string | undefined): void {
    this.redactor.addSecret(secret);
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  info(text: string): void {
    this.channel.info(this.keep('info', text));
  }
  warn(text: string): void {
    this.channel.warn(this.keep('warning', text));
  }
  error(text: string): void {
    this.channel.error(this.keep('error', text));
  }
  /** Library chatter (HTTP attempts, retries): one level lower. */
  debug(text: string): void {
    this.channel.debug(this.keep('debug', text));
  }

  show(): void {
    this.channel.show(true);
  }

  /** The copy kept in a test run; empty otherwise. */
  text(): string {
    return this.mirror ?? '';
  }

  dispose(): void {
    this.channelOnceWritten?.dispose();
  }

  private keep(level: string, text: string): string {
    const safe = this.redact(text);
    if (this.mirror !== undefined) this.mirror += `[${level}] ${safe}\n`;
    return safe;
  }
}
