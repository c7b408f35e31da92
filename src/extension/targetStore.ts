import vscode = require('vscode');
import type { RegistrationNames } from './registrationNames';
import type { TargetSummary } from './shared/targetSummary';

const keyPrefix = 'intuneMao.target:';

/**
 * The registrations chosen for each file (one or several), remembered in the workspace's state (keyed by the
 * file's URI), and the names of the registrations seen so far.
 */
export class TargetStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** A file's remembered targets changed (its URI), or names were learned (undefined). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: vscode.Memento,
    readonly names: RegistrationNames,
  ) {
    this.subscription = names.onDidChange(() => this.changed.fire(undefined));
  }

  /** The remembered targets, in the order chosen; empty when none (an earlier version kept one object). */
  remembered(uri: vscode.Uri): TargetSummary[] {
    const value = this.state.get<unknown>(keyPrefix + uri.toString());
    const list = Array.isArray(value) ? value : value ? [value] : [];
    return list.filter((target): target is TargetSummary => typeof (target as TargetSummary | undefined)?.id === 'string');
  }

  async set(uri: vscode.Uri, targets: readonly TargetSummary[]): Promise<void> {
    this.learn(targets);
    await this.state.update(keyPrefix + uri.toString(), targets.length ? targets.map((t) => ({ ...t })) : undefined);
    this.changed.fire(uri);
  }

  async forget(uri: vscode.Uri): Promise<void> {
    await this.state.update(keyPrefix + uri.toString(), undefined);
    this.changed.fire(uri);
  }

  learn(targets: Iterable<TargetSummary>): void {
    this.names.learn(targets);
  }

  /** The registration with the best name known for it. */
  describe(id: string): TargetSummary {
    return this.names.describe(id);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
