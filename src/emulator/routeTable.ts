// Which resource a Graph path names, and the methods each resource allows.
import type { GraphVersion } from './tenant';

export type Route =
  | { kind: 'batch' }
  | { kind: 'registrations' }
  | { kind: 'registration'; registrationId: string }
  | { kind: 'operations'; registrationId: string }
  | { kind: 'operation'; registrationId: string; operationId: string };

export const ALLOWED_METHODS: Record<Route['kind'], string[]> = {
  batch: ['POST'],
  registrations: ['GET'],
  registration: ['GET'],
  operations: ['GET', 'POST'],
  operation: ['GET'],
};

interface ParsedTarget {
  segments: string[];
  rawQuery: string;
}

export function parseTarget(target: string): ParsedTarget {
  const queryStart = target.indexOf('?');
  const path = queryStart < 0 ? target : target.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : target.slice(queryStart + 1);
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return { segments, rawQuery };
}

export function versionOf(segment: string | undefined): GraphVersion | undefined {
  const lower = segment?.toLowerCase();
  return lower === 'beta' || lower === 'v1.0' ? lower : undefined;
}

function same(segment: string | undefined, name: string): boolean {
  return segment !== undefined && segment.toLowerCase() === name.toLowerCase();
}

/** The route, or the first path segment that does not lead anywhere. */
export function resolveRoute(segments: string[]): Route | { unknownSegment: string } {
  if (segments.length === 1 && segments[0] === '$batch') return { kind: 'batch' };
  if (!same(segments[0], 'deviceAppManagement')) return { unknownSegment: segments[0] ?? '' };
  if (!same(segments[1], 'managedAppRegistrations')) return { unknownSegment: segments[1] ?? segments[0] };
  const [, , registrationId, operationsSegment, operationId, ...rest] = segments;
  if (registrationId === undefined) return { kind: 'registrations' };
  if (operationsSegment === undefined) return { kind: 'registration', registrationId };
  if (!same(operationsSegment, 'operations')) return { unknownSegment: operationsSegment };
  if (operationId === undefined) return { kind: 'operations', registrationId };
  if (rest.length > 0) return { unknownSegment: rest[0] };
  return { kind: 'operation', registrationId, operationId };
}
