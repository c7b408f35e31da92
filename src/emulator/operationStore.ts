import { newGuid, randomHex } from './ids';

export interface StoredOperation {
  '@odata.type': '#microsoft.graph.managedAppOperation';
  id: string;
  displayName: string | null;
  /** When it was created (nothing modifies it later), never before the wall clock at that moment. */
  lastModifiedDateTime: string;
  state: string | null;
  version: string;
}

/** Operations created through the emulator, per registration, oldest first. */
export class OperationStore {
  private readonly byRegistration = new Map<string, StoredOperation[]>();
  /** The last creation time, as ms and 100 ns ticks within it: strictly increasing, so listing order and times agree. */
  private last = { ms: 0, ticks: 0 };

  constructor(private readonly onCreated: () => void = () => undefined) {}

  create(registrationId: string, fields: { displayName: string | null; state: string | null }): StoredOperation {
    const operation: StoredOperation = {
      '@odata.type': '#microsoft.graph.managedAppOperation',
      id: newGuid(),
      displayName: fields.displayName,
      lastModifiedDateTime: this.nextTimestamp(),
      state: fields.state,
      version: `W/"${randomHex(8)}"`,
    };
    const key = registrationId.toLowerCase();
    const list = this.byRegistration.get(key) ?? [];
    list.push(operation);
    this.byRegistration.set(key, list);
    this.onCreated();
    return { ...operation };
  }

  list(registrationId: string): StoredOperation[] {
    return (this.byRegistration.get(registrationId.toLowerCase()) ?? []).map((operation) => ({ ...operation }));
  }

  find(registrationId: string, operationId: string): StoredOperation | undefined {
    const found = this.byRegistration.get(registrationId.toLowerCase())?.find((operation) => operation.id.toLowerCase() === operationId.toLowerCase());
    return found && { ...found };
  }

  clear(): void {
    this.byRegistration.clear();
  }

  /** Graph's DateTimeOffset style: seven fractional digits and Z, e.g. 2025-01-22T19:17:04.1234567Z. */
  private nextTimestamp(): string {
    const now = Date.now();
    if (now > this.last.ms) this.last = { ms: now, ticks: 0 };
    else if (this.last.ticks < 9999) this.last.ticks += 1;
    else this.last = { ms: this.last.ms + 1, ticks: 0 };
    return `${new Date(this.last.ms).toISOString().slice(0, 23)}${String(this.last.ticks).padStart(4, '0')}Z`;
  }
}
