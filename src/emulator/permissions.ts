import type { GraphVersion } from './tenant';

const APPS_READ_WRITE = 'DeviceManagementApps.ReadWrite.All';
const APPS_READ = 'DeviceManagementApps.Read.All';
const CONFIGURATION_READ_WRITE = 'DeviceManagementConfiguration.ReadWrite.All';

/** Permissions that allow the call, in the order the 403 message lists them. */
export function acceptedPermissions(version: GraphVersion, isWrite: boolean): string[] {
  const accepted = [APPS_READ_WRITE];
  if (version === 'beta') accepted.push(CONFIGURATION_READ_WRITE);
  if (!isWrite) accepted.push(APPS_READ);
  return accepted;
}

export function isPermitted(granted: Set<string>, version: GraphVersion, isWrite: boolean): boolean {
  return acceptedPermissions(version, isWrite).some((name) => granted.has(name.toLowerCase()));
}

export function forbiddenText(version: GraphVersion, isWrite: boolean): string {
  return (
    'Application is not authorized to perform this operation. Application must have one of the following scopes: ' +
    acceptedPermissions(version, isWrite).join(', ')
  );
}

export function isWriteMethod(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}
