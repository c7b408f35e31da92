/** Readers for what a person recognizes a managed app registration by, shared by the CLI and the extension. */
type Registration = Record<string, unknown>;

/** Control characters in a registration's fields are not written to a terminal or the UI as they are. */
export function withoutControlCharacters(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** A field's text for display, or undefined when it is not a non-empty string. */
export function displayText(value: unknown): string | undefined {
  return typeof value === 'string' && value ? withoutControlCharacters(value) : undefined;
}

/** The app's package id (Android), bundle id (iOS) or Windows app id. */
export function appIdentifierOf(item: Registration): string | undefined {
  const identifier = item['appIdentifier'];
  if (typeof identifier !== 'object' || identifier === null) return undefined;
  const fields = identifier as Record<string, unknown>;
  return displayText(fields['packageId']) ?? displayText(fields['bundleId']) ?? displayText(fields['windowsAppId']);
}

export function platformOf(item: Registration): string | undefined {
  const type = displayText(item['@odata.type']) ?? '';
  if (/android/i.test(type)) return 'Android';
  if (/ios/i.test(type)) return 'iOS';
  if (/windows/i.test(type)) return 'Windows';
  return type ? type.replace('#microsoft.graph.', '') : undefined;
}

/** Flagged reasons other than "none". */
export function flagsOf(item: Registration): string[] {
  const flags = item['flaggedReasons'];
  return Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string' && f !== 'none') : [];
}
