import type { SampleRegistration } from './types';

/** The tenant's registrations in list order, found by id without regard to case. */
export class RegistrationDirectory {
  private items: SampleRegistration[] = [];
  private byId = new Map<string, SampleRegistration>();

  constructor(registrations: SampleRegistration[]) {
    this.replace(registrations);
  }

  replace(registrations: SampleRegistration[]): void {
    if (!Array.isArray(registrations) || registrations.some((item) => item === null || typeof item !== 'object' || typeof item.id !== 'string')) {
      throw new RangeError('Registrations must be objects with a string id.');
    }
    const items = structuredClone(registrations);
    const byId = new Map(items.map((registration) => [String(registration.id).toLowerCase(), registration]));
    if (byId.size !== items.length) throw new RangeError('Registration ids must be distinct.');
    this.items = items;
    this.byId = byId;
  }

  get all(): readonly SampleRegistration[] {
    return this.items;
  }

  find(id: string): SampleRegistration | undefined {
    return this.byId.get(id.toLowerCase());
  }
}
