/**
 * The failures that stop a command before (or instead of) an operation's result, by kind. Each front end has
 * one place that turns them into words and consequences: the CLI's exit code and message, the extension's
 * notification and buttons. An operation's own outcome (created, failed, unknown …) is not one of these.
 * - setup: a setting, an option or an id makes the request impossible; nothing was sent.
 * - sign-in: no token was issued; nothing was sent.
 * - permission: the token lacks the permission the request needs; nothing was sent.
 * - unsafe-destination: the token would have gone somewhere that is not Graph; nothing was sent.
 * - graph: Graph answered with an error to a read (a listing); no operation was created.
 */
export type FailureKind = 'setup' | 'sign-in' | 'permission' | 'unsafe-destination' | 'graph';

const failureKinds: readonly string[] = ['setup', 'sign-in', 'permission', 'unsafe-destination', 'graph'] satisfies FailureKind[];

export abstract class IntuneFailure extends Error {
  abstract readonly kind: FailureKind;
}

/**
 * Recognizes a failure by its kind rather than its class: the extension's bundles each carry this module, and
 * a failure made in one of them must be recognized in another.
 */
export function isIntuneFailure(value: unknown): value is IntuneFailure {
  return value instanceof Error && failureKinds.includes(String((value as { kind?: unknown }).kind));
}

/** A setting, option or value that makes the request impossible; `setting` names what to change, when known. */
export class SetupFailure extends IntuneFailure {
  readonly kind = 'setup' as const;

  constructor(
    message: string,
    readonly setting?: string,
  ) {
    super(message);
    this.name = 'SetupFailure';
  }
}
