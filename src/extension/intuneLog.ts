import * as vscode from 'vscode';
import type { Redactor } from '../core/index';
import { loadCore } from './loadCore';

const mirrorLimit = 2_000_000;

/**
 * The "Intune" output channel. Everything written passes through one Redactor that is told every token
 * the extension obtains, and also removes anything shaped like a JWT or a bearer value.
 */
export class IntuneLog implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private redactor: Redactor | undefined;
  private readonly pendingSecrets: string[] = [];
  /** What was written, for the integration tests (after redaction, like the channel). */
  private mirror = '';

  constructor() {
    this.channel = vscode.window.createOutputChannel(vscode.l10n.t('Intune'), { log: true });
  }

  /** Makes sure this value never reaches the channel. */
  addSecret(secret: string | undefined): void {
    if (!secret) return;
    if (this.redactor) this.redactor.addSecret(secret); else this.pendingSecrets.push(secret);
  }

  redact(text: string): string {
    if (!this.redactor) {
      this.redactor = new (loadCore().Redactor)();
      for (const secret of this.pendingSecrets.splice(0)) this.redactor.addSecret(secret);
    }
    return this.redactor.redact(text);
  }

  info(text: string): void { this.channel.info(this.keep('info', text)); }
  warn(text: string): void { this.channel.warn(this.keep('warning', text)); }
  error(text: string): void { this.channel.error(this.keep('error', text)); }
  /** Library chatter (HTTP attempts, retries): one level lower. */
  debug(text: string): void { this.channel.debug(this.keep('debug', text)); }

  show(): void {
    this.channel.show(true);
  }

  text(): string {
    return this.mirror;
  }

  dispose(): void {
    this.channel.dispose();
  }

  private keep(level: string, text: string): string {
    const safe = this.redact(text);
    this.mirror += `[${level}] ${safe}\n`;
    if (this.mirror.length > mirrorLimit) this.mirror = this.mirror.slice(this.mirror.length - mirrorLimit);
    return safe;
  }
}
