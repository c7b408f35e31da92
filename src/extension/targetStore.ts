import * as vscode from 'vscode';
import type { TargetSummary } from './shared/targetSummary';

const keyPrefix = 'intuneMao.target:';

/** The registration chosen for each file, remembered in the workspace's state (keyed by the file's URI). */
export class TargetStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Registrations seen in the picker, to describe a file's own `$registrationId`. */
  private readonly known = new Map<string, TargetSummary>();

  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): TargetSummary | undefined {
    const value = this.state.get<TargetSummary>(keyPrefix + uri.toString());
    return value && typeof value.id === 'string' ? value : undefined;
  }

  async set(uri: vscode.Uri, target: TargetSummary): Promise<void> {
    this.learn([target]);
    await this.state.update(keyPrefix + uri.toString(), target);
    this.changed.fire(uri);
  }

  async forget(uri: vscode.Uri): Promise<void> {
    await this.state.update(keyPrefix + uri.toString(), undefined);
    this.changed.fire(uri);
  }

  learn(targets: Iterable<TargetSummary>): void {
    for (const target of targets) if (target.id) this.known.set(target.id.toLowerCase(), target);
  }

  describe(id: string): TargetSummary {
    return this.known.get(id.toLowerCase()) ?? { id };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
