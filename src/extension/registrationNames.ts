import vscode = require('vscode');
import type { TargetSummary } from './shared/targetSummary';

const storageKey = 'intuneMao.registrationNames';
/** Enough for the registrations a person works with; the oldest seen are dropped first. */
export const maxRememberedNames = 500;
/** Graph's fields are the tenant's data: stored only as short strings. */
const maxFieldLength = 200;

type Stored = Pick<TargetSummary, 'id' | 'app' | 'device' | 'user' | 'platform'>;

/**
 * What the registrations seen in the picker or the side bar are called (app, device, user, platform), kept in
 * the extension's global state so the CodeLens can name a file's targets without listing anything. Ids and
 * names only, never a token; bounded in size.
 */
export class RegistrationNames implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private names: Map<string, Stored> | undefined;
  private pendingWrite: NodeJS.Timeout | undefined;

  constructor(private readonly state: vscode.Memento) {}

  /** The registration with what is known of it; only its id when it was never seen. */
  describe(id: string): TargetSummary {
    return this.loaded().get(id.toLowerCase()) ?? { id };
  }

  isKnown(id: string): boolean {
    return this.loaded().has(id.toLowerCase());
  }

  learn(targets: Iterable<TargetSummary>): void {
    const names = this.loaded();
    let learned = false;
    for (const target of targets) {
      const entry = storable(target);
      if (!entry) continue;
      const previous = names.get(entry.id);
      names.delete(entry.id);
      names.set(entry.id, entry);
      learned ||= !previous || JSON.stringify(previous) !== JSON.stringify(entry);
    }
    while (names.size > maxRememberedNames) names.delete(names.keys().next().value as string);
    if (!learned) return;
    // Pages arrive one after the other: one write for a burst of them.
    this.pendingWrite ??= setTimeout(() => this.write(), 1000);
    this.changed.fire();
  }

  dispose(): void {
    if (this.pendingWrite) this.write();
    this.changed.dispose();
  }

  private write(): void {
    clearTimeout(this.pendingWrite);
    this.pendingWrite = undefined;
    if (this.names) void this.state.update(storageKey, [...this.names.values()]);
  }

  private loaded(): Map<string, Stored> {
    if (this.names) return this.names;
    const stored = this.state.get<unknown>(storageKey);
    const entries = Array.isArray(stored) ? stored.map((value) => storable(value as TargetSummary)).filter((e): e is Stored => !!e) : [];
    return (this.names = new Map(entries.slice(-maxRememberedNames).map((entry) => [entry.id, entry])));
  }
}

function storable(target: TargetSummary | undefined): Stored | undefined {
  if (typeof target?.id !== 'string' || !/^[0-9a-f-]{36}$/i.test(target.id)) return undefined;
  const field = (value: unknown): string | undefined => (typeof value === 'string' && value ? value.slice(0, maxFieldLength) : undefined);
  const [app, device, user, platform] = [field(target.app), field(target.device), field(target.user), field(target.platform)];
  return { id: target.id.toLowerCase(), ...(app ? { app } : {}), ...(device ? { device } : {}), ...(user ? { user } : {}), ...(platform ? { platform } : {}) };
}
