/** Anything shaped like a JWT (three base64url parts, the first starting with a JSON object). */
const jwtPattern = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
const bearerPattern = /(Bearer\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/gi;

export const redactedMark = '[redacted]';

/**
 * Removes secrets from text before it is shown, logged or stored: every secret it was told about,
 * anything that looks like a JWT, and whatever follows "Bearer ".
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 8) {
      this.secrets.add(secret);
    }
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      result = result.split(secret).join(redactedMark);
    }
    return redactSecretShapes(result);
  }
}

export function redactSecretShapes(text: string): string {
  return text.replace(jwtPattern, redactedMark).replace(bearerPattern, `$1${redactedMark}`);
}
