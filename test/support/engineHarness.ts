import { resolveGraphTarget } from '../../src/core/clouds';
import { GraphClient, type TokenRequest } from '../../src/core/graphClient';
import type { JobItem } from '../../src/core/engine/jobTypes';
import { SignInFailure } from '../../src/core/signInFailure';
import { generateRegistrations, startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';

export interface Harness {
  readonly emulator: Emulator;
  readonly ids: string[];
  readonly token: string;
  client(options?: { fixedToken?: boolean; timeoutMs?: number }): GraphClient;
  items(count: number, body?: (index: number) => string): JobItem[];
  /** Operations per registration, as the emulator holds them. */
  operationCounts(items: readonly JobItem[]): number[];
  close(): Promise<void>;
}

/** An emulator with a generated tenant, and Graph clients for it, for engine tests in this process. */
export async function startHarness(registrations: number, options: EmulatorOptions = {}): Promise<Harness> {
  const generated = generateRegistrations(registrations, 11);
  const emulator = await startEmulator({ registrations: generated, pageSize: 50, ...options });
  const token = emulator.mintToken();
  const ids = generated.map((registration) => String(registration.id));
  return {
    emulator,
    ids,
    token,
    client: ({ fixedToken = false, timeoutMs = 10_000 } = {}) =>
      new GraphClient({
        target: resolveGraphTarget('global', emulator.url),
        getToken: async (request: TokenRequest) => {
          if (fixedToken && request.forceRefresh)
            throw new SignInFailure('failed', 'Graph asked for a fresh sign-in (claims challenge), but the given token cannot be renewed.');
          return token;
        },
        userAgent: 'engine-test',
        timeoutMs,
        retry: { backoffBaseMs: 20 },
      }),
    items: (count, body = (index) => `{"displayName": "Wipe ${index}", "state": "pending"}`) =>
      ids.slice(0, count).map((registrationId, index) => ({
        key: `op.mao.json → ${registrationId}`,
        file: 'op.mao.json',
        registrationId,
        body: body(index),
      })),
    operationCounts: (items) => items.map((item) => emulator.operationsOf(item.registrationId).length),
    close: () => emulator.close(),
  };
}
