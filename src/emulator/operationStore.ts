import { graphTimestamp, newGuid, randomHex } from './ids';

export interface StoredOperation {
  '@odata.type': '#microsoft.graph.managedAppOperation';
  id: string;
  displayName: string | null;
  lastModifiedDateTime: string;
  state: string | null;
  version: string;
}

/** Operations created through the emulator, per registration, oldest first. */
export class OperationStore {
  private readonly byRegistration = new Map<string, StoredOperation[]>();

  create(registrationId: string, fields: { displayName: string | null; state: string | null }): StoredOperation {
    const operation: StoredOperation = {
      '@odata.type': '#microsoft.graph.managedAppOperation',
      id: newGuid(),
      displayName: fields.displayName,
      lastModifiedDateTime: graphTimestamp(),
      state: fields.state,
      version: `W/"${randomHex(8)}"`,
    };
    const key = registrationId.toLowerCase();
    const list = this.byRegistration.get(key) ?? [];
    list.push(operation);
    this.byRegistration.set(key, list);
    return { ...operation };
  }

  list(registrationId: string): StoredOperation[] {
    return (this.byRegistration.get(registrationId.toLowerCase()) ?? []).map((operation) => ({ ...operation }));
  }

  find(registrationId: string, operationId: string): StoredOperation | undefined {
    return this.list(registrationId).find((operation) => operation.id.toLowerCase() === operationId.toLowerCase());
  }

  clear(): void {
    this.byRegistration.clear();
  }
}
