import { isGuid } from './guid';

/** The local keys that name where a file's operation goes: one registration, or several. */
export const registrationIdKey = '$registrationId';
export const registrationIdsKey = '$registrationIds';

function fieldOf(operation: unknown, key: string): unknown {
  return typeof operation === 'object' && operation !== null && !Array.isArray(operation) ? (operation as Record<string, unknown>)[key] : undefined;
}

/** `$registrationId` when it is a string, whatever it holds. */
export function registrationIdProperty(operation: unknown): string | undefined {
  const id = fieldOf(operation, registrationIdKey);
  return typeof id === 'string' ? id : undefined;
}

/** The strings of `$registrationIds` when it is an array (other elements left out), whatever they hold. */
export function registrationIdsProperty(operation: unknown): string[] | undefined {
  const ids = fieldOf(operation, registrationIdsKey);
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : undefined;
}

/**
 * The registrations a valid file names itself, lower-cased and each once: its `$registrationIds`, else its
 * `$registrationId`; empty when it names none. Ids that are not GUIDs are left out (validation reports them).
 */
export function registrationTargetsOf(operation: unknown): string[] {
  const named = registrationIdsProperty(operation) ?? [registrationIdProperty(operation)].filter((id): id is string => id !== undefined);
  return [...new Set(named.filter(isGuid).map((id) => id.toLowerCase()))];
}
