import type { EntraErrorBody } from './entraHttp';
import { IntuneFailure } from './failures';

/**
 * Why no token was issued; nothing was sent in any of these cases.
 * - cancelled: the person (or the program) stopped the sign-in.
 * - declined / expired: the browser step was refused, or not done in time.
 * - consent: the app lacks an admin-consented permission.
 * - app: the app registration (client id) is missing or not set up for the sign-in.
 * - account: the account or tenant is not one that can sign in here.
 * - network: the sign-in service could not be reached.
 * - noninteractive: a person would have to sign in, and nobody can here (CI).
 * - unavailable: this host has no working sign-in of that kind (e.g. VS Code's Microsoft provider in a web build).
 * - no-credentials: nothing to sign in with was given (the CLI without a token or client id).
 * - failed: anything else.
 */
export type SignInFailureKind =
  'cancelled' | 'declined' | 'expired' | 'consent' | 'app' | 'account' | 'network' | 'noninteractive' | 'unavailable' | 'no-credentials' | 'failed';

export class SignInFailure extends IntuneFailure {
  readonly kind = 'sign-in' as const;

  constructor(
    readonly reason: SignInFailureKind,
    message: string,
    readonly aadsts?: string,
  ) {
    super(message);
    this.name = 'SignInFailure';
  }
}

export function signInCancelled(): SignInFailure {
  return new SignInFailure('cancelled', 'Sign-in was cancelled.');
}

export interface SignInSubject {
  readonly clientId: string;
  readonly tenant: string;
  /** The sign-in host, e.g. login.microsoftonline.com */
  readonly loginHost: string;
  readonly permission: string;
}

const appRegistrationHint =
  "Use the Application (client) ID of your own app registration: VS Code's and other first-party client ids are not pre-authorized for Intune's Graph permissions.";

/** Words a person can act on, for the AADSTS codes an Intune admin is likely to meet. */
export function explainAadsts(code: string, subject: SignInSubject): { reason: SignInFailureKind; text: string } | undefined {
  const app = `app ${subject.clientId}`;
  const consentSteps = `In the Entra admin center, open App registrations → ${subject.clientId} → API permissions, add the Microsoft Graph delegated permission ${subject.permission}, and select "Grant admin consent".`;
  switch (code) {
    case '65001':
    case '65004':
      return { reason: 'consent', text: `The ${app} has no consent for ${subject.permission} in this tenant. ${consentSteps}` };
    case '90094':
    case '90099':
      return { reason: 'consent', text: `${subject.permission} needs an administrator's approval for the ${app}. ${consentSteps}` };
    case '650056':
    case '650057':
      return { reason: 'consent', text: `The ${app} is not set up to ask for ${subject.permission}. ${consentSteps}` };
    case '650052':
      return {
        reason: 'consent',
        text: `The ${app} needs a service that tenant "${subject.tenant}" has not subscribed to or enabled (an Intune licence?). Ask an administrator to check the tenant's subscriptions and the app's permissions.`,
      };
    case '50105':
      return {
        reason: 'consent',
        text: `Your account is not assigned to the ${app}, which requires assignment. An administrator adds you under Enterprise applications → ${subject.clientId} → Users and groups.`,
      };
    case '700016':
      return {
        reason: 'app',
        text: `No app with client id ${subject.clientId} exists in tenant "${subject.tenant}". Check the client id, and the tenant it is registered in (or make the app multi-tenant). ${appRegistrationHint}`,
      };
    case '7000218':
      return {
        reason: 'app',
        text: `The ${app} does not allow public client flows, which the device code sign-in needs. In the Entra admin center, open App registrations → ${subject.clientId} → Authentication, and set "Allow public client flows" to Yes.`,
      };
    case '50020':
      return {
        reason: 'account',
        text: `The account you signed in with is not in tenant "${subject.tenant}" (for example a personal Microsoft account, or a guest not yet invited). Sign in with an account of that tenant, or set the tenant to the account's home tenant.`,
      };
    case '50059':
    case '90002':
      return {
        reason: 'account',
        text: `Tenant "${subject.tenant}" was not found on ${subject.loginHost}. Check the tenant id or domain, and that the cloud matches the tenant's cloud.`,
      };
    case '500011':
      return {
        reason: 'account',
        text: `Microsoft Graph was not found in tenant "${subject.tenant}" on ${subject.loginHost}: check that the cloud setting matches the tenant's cloud.`,
      };
    case '53003':
      return {
        reason: 'account',
        text: 'A Conditional Access policy blocked this sign-in. Ask your administrator which device or location requirements apply to the app.',
      };
    case '70000':
      return { reason: 'declined', text: 'The sign-in was declined in the browser. Nothing was sent.' };
    case '70020':
    case '70019':
      return { reason: 'expired', text: 'The sign-in code expired before the browser step was finished. Run the sign-in again.' };
    default:
      return undefined;
  }
}

/**
 * Turns whatever MSAL threw into a SignInFailure. `entra` is the last error body Entra ID sent, which
 * carries the AADSTS code and description MSAL sometimes drops.
 */
export function explainSignInFailure(error: unknown, entra: EntraErrorBody | undefined, connection: string | undefined, subject: SignInSubject): SignInFailure {
  if (error instanceof SignInFailure) return error;
  const errorCode = String((error as { errorCode?: unknown })?.errorCode ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (errorCode === 'device_code_polling_cancelled') return signInCancelled();
  if (errorCode === 'device_code_expired') return explainCodeOrGeneric('70020', subject, message);

  const description = entra?.error_description ?? (error as { errorMessage?: string })?.errorMessage ?? message;
  const code = entra?.error_codes?.[0]?.toString() ?? /AADSTS(\d+)/.exec(description)?.[1] ?? /AADSTS(\d+)/.exec(message)?.[1];
  if (code) return explainCodeOrGeneric(code, subject, firstLine(description));
  if (entra?.error === 'authorization_declined') return new SignInFailure('declined', 'The sign-in was declined in the browser. Nothing was sent.');
  if (entra?.error === 'expired_token') return explainCodeOrGeneric('70020', subject, message);

  if (connection || ['network_error', 'endpoints_resolution_error', 'openid_config_error', 'no_network_connectivity'].includes(errorCode)) {
    return new SignInFailure(
      'network',
      `Could not sign in: ${connection ?? `${subject.loginHost} could not be reached`}. Check the network connection and proxy.`,
    );
  }
  return new SignInFailure('failed', `Sign-in failed: ${firstLine(description)}`);
}

/** The words for an AADSTS code, or Entra's own description when the code is not one explained here. */
export function explainCodeOrGeneric(code: string, subject: SignInSubject, description: string): SignInFailure {
  const known = explainAadsts(code, subject);
  if (known) return new SignInFailure(known.reason, `${known.text} (AADSTS${code})`, code);
  const detail = description.replace(/^AADSTS\d+:\s*/, '');
  return new SignInFailure('failed', `Sign-in was refused (AADSTS${code}): ${detail}`, code);
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
