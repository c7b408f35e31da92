// A synthetic tenant of any size, the same for the same seed: a few users, apps and platforms, so that
// choosing "every registration of a user / an app / a platform" picks meaningful groups.
import { pick, seededGuid, seededRandom } from './random';
import { sampleIds } from './sampleIds';
import { android, type Common, ios } from './tenant';
import type { SampleRegistration } from './types';

export interface GeneratedUser {
  id: string;
  name: string;
}

/** The people who own the generated registrations: the sample tenant's five and three more. */
export const generatedUsers: readonly GeneratedUser[] = [
  { id: sampleIds.users.megan, name: 'Megan' },
  { id: sampleIds.users.alex, name: 'Alex' },
  { id: sampleIds.users.lidia, name: 'Lidia' },
  { id: sampleIds.users.diego, name: 'Diego' },
  { id: sampleIds.users.adele, name: 'Adele' },
  { id: 'c1f4a9e2-6d3b-4c8a-9e71-2b5d0f8a4c36', name: 'Isaiah' },
  { id: 'd7a02b5e-91c4-4f6e-b3d8-5e0c7a1f9b24', name: 'Joni' },
  { id: 'e3b68c1d-4a7f-4d29-8c05-9f2e6b3a7d18', name: 'Nestor' },
];

/** Apps by platform: Android package id and iOS bundle id of the same product. */
export const generatedApps: readonly { name: string; android: string; ios: string }[] = [
  { name: 'Outlook', android: 'com.microsoft.office.outlook', ios: 'com.microsoft.Office.Outlook' },
  { name: 'Teams', android: 'com.microsoft.teams', ios: 'com.microsoft.skype.teams' },
  { name: 'Edge', android: 'com.microsoft.emmx', ios: 'com.microsoft.msedge' },
  { name: 'OneDrive', android: 'com.microsoft.skydrive', ios: 'com.microsoft.skydrive' },
  { name: 'Microsoft 365', android: 'com.microsoft.office.officehubrow', ios: 'com.microsoft.officemobile' },
];

const ANDROID_DEVICES = [
  { manufacturer: 'Google', model: 'Pixel 8', label: 'Pixel 8' },
  { manufacturer: 'samsung', model: 'SM-S911B', label: 'Galaxy S23' },
  { manufacturer: 'samsung', model: 'SM-A546B', label: 'Galaxy A54' },
  { manufacturer: 'motorola', model: 'moto g84 5G', label: 'Moto g84' },
];
const IOS_DEVICES = [
  { type: 'iPhone', model: 'iPhone15,4', label: 'iPhone' },
  { type: 'iPhone', model: 'iPhone16,1', label: 'iPhone' },
  { type: 'iPad', model: 'iPad14,5', label: 'iPad Pro' },
];
const ANDROID_VERSIONS = ['13', '14', '15'];
const IOS_VERSIONS = ['16.7.10', '17.6.1', '18.0.1'];
const START = Date.UTC(2023, 0, 1);
const SPAN_MS = 640 * 24 * 3600 * 1000;

function timestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}0000Z`;
}

/**
 * `count` registrations with distinct ids (none of them the sample tenant's), about two thirds Android,
 * users and apps spread evenly, one in twenty flagged as rooted. The same `seed` gives the same tenant.
 */
export function generateRegistrations(count: number, seed = 1): SampleRegistration[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('The registration count must be a whole number, 0 or more.');
  if (!Number.isInteger(seed)) throw new RangeError('The seed must be a whole number.');
  const random = seededRandom(seed);
  const taken = new Set<string>(Object.values(sampleIds.registrations));
  const registrations: SampleRegistration[] = [];
  for (let index = 0; index < count; index++) {
    let id = seededGuid(random);
    while (taken.has(id)) id = seededGuid(random);
    taken.add(id);

    const user = pick(random, generatedUsers);
    const app = pick(random, generatedApps);
    const isAndroid = random() < 2 / 3;
    const created = START + Math.floor(random() * SPAN_MS);
    const common: Common = {
      id,
      app: isAndroid ? app.android : app.ios,
      applicationVersion: `${1 + Math.floor(random() * 20)}.${Math.floor(random() * 3000)}.0`,
      deviceName: '',
      deviceType: 'Android',
      deviceTag: random() < 0.2 ? 'Frontline' : null,
      platformVersion: '',
      managementSdkVersion: `${isAndroid ? 10 : 19}.${Math.floor(random() * 8)}.0`,
      userId: user.id,
      flaggedReasons: random() < 0.05 ? ['rootedDevice'] : [],
      createdDateTime: timestamp(created),
      lastSyncDateTime: timestamp(created + Math.floor(random() * (START + SPAN_MS - created))),
      version: String(1 + Math.floor(random() * 12)),
      deviceManufacturer: 'Apple',
      deviceModel: '',
      azureADDeviceId: random() < 0.7 ? seededGuid(random) : null,
      managedDeviceId: random() < 0.5 ? seededGuid(random) : null,
    };
    const serial = String(index + 1).padStart(4, '0');
    if (isAndroid) {
      const device = pick(random, ANDROID_DEVICES);
      registrations.push(
        android({
          ...common,
          deviceName: `${device.label} (${user.name}) #${serial}`,
          platformVersion: pick(random, ANDROID_VERSIONS),
          deviceManufacturer: device.manufacturer,
          deviceModel: device.model,
          patchVersion: `2024-0${1 + Math.floor(random() * 9)}-01`,
        }),
      );
    } else {
      const device = pick(random, IOS_DEVICES);
      registrations.push(
        ios({
          ...common,
          deviceName: `${device.label} (${user.name}) #${serial}`,
          deviceType: device.type,
          platformVersion: pick(random, IOS_VERSIONS),
          deviceModel: device.model,
        }),
      );
    }
  }
  return registrations;
}
