import { sampleIds } from './sampleIds';
import type { SampleRegistration } from './types';

export const SAMPLE_TENANT_ID = sampleIds.tenantId;
export const SAMPLE_ADMIN_OBJECT_ID = sampleIds.adminObjectId;
export const SAMPLE_CLIENT_APP_ID = sampleIds.clientAppId;

const { users, registrations: ids } = sampleIds;

/** What an android or iOS registration is made of (the generated tenant builds from it too). */
export interface Common {
  id: string;
  app: string;
  applicationVersion: string;
  deviceName: string;
  deviceType: string;
  deviceTag: string | null;
  platformVersion: string;
  managementSdkVersion: string;
  userId: string;
  flaggedReasons: string[];
  createdDateTime: string;
  lastSyncDateTime: string;
  version: string;
  deviceManufacturer: string;
  deviceModel: string;
  azureADDeviceId: string | null;
  managedDeviceId: string | null;
}

export function android(c: Common & { patchVersion: string }): SampleRegistration {
  return {
    '@odata.type': '#microsoft.graph.androidManagedAppRegistration',
    id: c.id,
    createdDateTime: c.createdDateTime,
    lastSyncDateTime: c.lastSyncDateTime,
    applicationVersion: c.applicationVersion,
    managementSdkVersion: c.managementSdkVersion,
    platformVersion: c.platformVersion,
    deviceType: c.deviceType,
    deviceTag: c.deviceTag,
    deviceName: c.deviceName,
    managedDeviceId: c.managedDeviceId,
    azureADDeviceId: c.azureADDeviceId,
    deviceModel: c.deviceModel,
    deviceManufacturer: c.deviceManufacturer,
    flaggedReasons: c.flaggedReasons,
    userId: c.userId,
    version: c.version,
    patchVersion: c.patchVersion,
    appIdentifier: { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: c.app },
  };
}

export function ios(c: Common): SampleRegistration {
  return {
    '@odata.type': '#microsoft.graph.iosManagedAppRegistration',
    id: c.id,
    createdDateTime: c.createdDateTime,
    lastSyncDateTime: c.lastSyncDateTime,
    applicationVersion: c.applicationVersion,
    managementSdkVersion: c.managementSdkVersion,
    platformVersion: c.platformVersion,
    deviceType: c.deviceType,
    deviceTag: c.deviceTag,
    deviceName: c.deviceName,
    managedDeviceId: c.managedDeviceId,
    azureADDeviceId: c.azureADDeviceId,
    deviceModel: c.deviceModel,
    deviceManufacturer: c.deviceManufacturer,
    flaggedReasons: c.flaggedReasons,
    userId: c.userId,
    version: c.version,
    appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: c.app },
  };
}

/** The built-in sample tenant: twelve registrations with fixed ids, in list order. */
export const sampleRegistrations: SampleRegistration[] = [
  android({
    id: ids.meganAndroidOutlook,
    app: 'com.microsoft.office.outlook',
    applicationVersion: '4.2436.1',
    deviceName: "Megan's Pixel 8",
    deviceType: 'Android',
    deviceTag: null,
    platformVersion: '14',
    patchVersion: '2024-09-05',
    managementSdkVersion: '10.4.1',
    userId: users.megan,
    flaggedReasons: [],
    createdDateTime: '2024-03-11T08:14:22.4571234Z',
    lastSyncDateTime: '2024-10-02T07:41:09.1183307Z',
    version: '6',
    deviceManufacturer: 'Google',
    deviceModel: 'Pixel 8',
    azureADDeviceId: '4211a7d7-8335-4daa-b86f-4f2891c48748',
    managedDeviceId: null,
  }),
  ios({
    id: ids.alexIphoneOutlook,
    app: 'com.microsoft.Office.Outlook',
    applicationVersion: '4.2436.0',
    deviceName: 'iPhone (Alex Wilber)',
    deviceType: 'iPhone',
    deviceTag: null,
    platformVersion: '17.6.1',
    managementSdkVersion: '19.6.0',
    userId: users.alex,
    flaggedReasons: [],
    createdDateTime: '2024-02-28T15:02:51.0092816Z',
    lastSyncDateTime: '2024-10-01T18:22:37.6640912Z',
    version: '4',
    deviceManufacturer: 'Apple',
    deviceModel: 'iPhone15,4',
    azureADDeviceId: '59e7de1f-75ea-4ac9-9aa4-8bb640a38814',
    managedDeviceId: '331466fe-592a-4e92-a0c9-4504ec58a6f1',
  }),
  android({
    id: ids.lidiaAndroidTeams,
    app: 'com.microsoft.teams',
    applicationVersion: '1416/1.0.0.2024173401',
    deviceName: 'Galaxy S23 (Lidia)',
    deviceType: 'Android',
    deviceTag: 'Frontline',
    platformVersion: '14',
    patchVersion: '2024-08-01',
    managementSdkVersion: '10.3.0',
    userId: users.lidia,
    flaggedReasons: ['rootedDevice'],
    createdDateTime: '2023-11-20T10:45:03.7719950Z',
    lastSyncDateTime: '2024-09-29T06:12:44.2051178Z',
    version: '9',
    deviceManufacturer: 'samsung',
    deviceModel: 'SM-S911B',
    azureADDeviceId: null,
    managedDeviceId: null,
  }),
  ios({
    id: ids.diegoIpadTeams,
    app: 'com.microsoft.skype.teams',
    applicationVersion: '6.19.1',
    deviceName: "Diego's iPad Pro",
    deviceType: 'iPad',
    deviceTag: null,
    platformVersion: '18.0',
    managementSdkVersion: '19.7.0',
    userId: users.diego,
    flaggedReasons: [],
    createdDateTime: '2024-06-03T12:30:18.3306621Z',
    lastSyncDateTime: '2024-10-02T09:05:51.9021446Z',
    version: '2',
    deviceManufacturer: 'Apple',
    deviceModel: 'iPad14,5',
    azureADDeviceId: '6e6fbc55-225a-4b3e-936d-34b6f87f44ef',
    managedDeviceId: '6912f28d-7ea5-4974-ac99-b519cec326cb',
  }),
  android({
    id: ids.adeleAndroidOneDrive,
    app: 'com.microsoft.skydrive',
    applicationVersion: '7.14',
    deviceName: 'ADELE-TAB-A9',
    deviceType: 'Android',
    deviceTag: null,
    platformVersion: '13',
    patchVersion: '2024-05-01',
    managementSdkVersion: '10.1.2',
    userId: users.adele,
    flaggedReasons: [],
    createdDateTime: '2024-01-09T09:01:47.5582013Z',
    lastSyncDateTime: '2024-09-30T16:48:02.0317789Z',
    version: '3',
    deviceManufacturer: 'samsung',
    deviceModel: 'SM-X210',
    azureADDeviceId: 'a971be71-457a-46f5-bf6d-6397c82ddfad',
    managedDeviceId: 'f4bba44b-30c4-4e44-ab7d-82180c241a2e',
  }),
  ios({
    id: ids.meganIphoneEdge,
    app: 'com.microsoft.msedge',
    applicationVersion: '129.2792.82',
    deviceName: 'iPhone (Megan Bowen)',
    deviceType: 'iPhone',
    deviceTag: null,
    platformVersion: '17.5.1',
    managementSdkVersion: '19.5.1',
    userId: users.megan,
    flaggedReasons: ['rootedDevice'],
    createdDateTime: '2024-04-17T19:26:30.8804152Z',
    lastSyncDateTime: '2024-09-27T21:13:55.4470063Z',
    version: '5',
    deviceManufacturer: 'Apple',
    deviceModel: 'iPhone14,2',
    azureADDeviceId: null,
    managedDeviceId: null,
  }),
  android({
    id: ids.alexAndroidEdge,
    app: 'com.microsoft.emmx',
    applicationVersion: '129.0.2792.84',
    deviceName: "Alex's Pixel 7a",
    deviceType: 'Android',
    deviceTag: null,
    platformVersion: '15',
    patchVersion: '2024-10-05',
    managementSdkVersion: '10.4.1',
    userId: users.alex,
    flaggedReasons: [],
    createdDateTime: '2024-07-22T07:55:09.2214570Z',
    lastSyncDateTime: '2024-10-02T10:31:27.8859301Z',
    version: '2',
    deviceManufacturer: 'Google',
    deviceModel: 'Pixel 7a',
    azureADDeviceId: '2b73cee8-04d5-4f94-9e4e-6a55690e61da',
    managedDeviceId: 'a6f14170-79bb-464a-a1ca-dcc6baf160a4',
  }),
  ios({
    id: ids.lidiaIphoneOneDrive,
    app: 'com.microsoft.skydrive',
    applicationVersion: '15.26.1',
    deviceName: 'LIDIA-IPHONE',
    deviceType: 'iPhone',
    deviceTag: 'Frontline',
    platformVersion: '16.7.10',
    managementSdkVersion: '18.4.2',
    userId: users.lidia,
    flaggedReasons: [],
    createdDateTime: '2023-09-14T13:40:58.6630091Z',
    lastSyncDateTime: '2024-09-18T11:02:16.7741823Z',
    version: '11',
    deviceManufacturer: 'Apple',
    deviceModel: 'iPhone12,8',
    azureADDeviceId: null,
    managedDeviceId: null,
  }),
  android({
    id: ids.diegoAndroidOffice,
    app: 'com.microsoft.office.officehubrow',
    applicationVersion: '16.0.18025.20100',
    deviceName: 'Moto g84 (Diego)',
    deviceType: 'Android',
    deviceTag: null,
    platformVersion: '14',
    patchVersion: '2024-07-01',
    managementSdkVersion: '10.2.0',
    userId: users.diego,
    flaggedReasons: ['rootedDevice'],
    createdDateTime: '2024-05-30T17:18:40.1097736Z',
    lastSyncDateTime: '2024-09-25T08:59:33.3315520Z',
    version: '4',
    deviceManufacturer: 'motorola',
    deviceModel: 'moto g84 5G',
    azureADDeviceId: null,
    managedDeviceId: null,
  }),
  ios({
    id: ids.adeleIphoneOffice,
    app: 'com.microsoft.officemobile',
    applicationVersion: '2.89.1',
    deviceName: "Adele's iPhone",
    deviceType: 'iPhone',
    deviceTag: null,
    platformVersion: '18.0.1',
    managementSdkVersion: '19.7.0',
    userId: users.adele,
    flaggedReasons: [],
    createdDateTime: '2024-08-12T06:07:25.9936104Z',
    lastSyncDateTime: '2024-10-02T05:44:10.5528817Z',
    version: '1',
    deviceManufacturer: 'Apple',
    deviceModel: 'iPhone16,1',
    azureADDeviceId: '7ff41355-9e36-488d-8df9-c523dc89e290',
    managedDeviceId: '5a6ab540-b30c-44ef-b313-c3e98b997592',
  }),
  android({
    id: ids.adeleAndroidOutlook,
    app: 'com.microsoft.office.outlook',
    applicationVersion: '4.2432.2',
    deviceName: 'Galaxy A54 (Adele)',
    deviceType: 'Android',
    deviceTag: null,
    platformVersion: '14',
    patchVersion: '2024-06-01',
    managementSdkVersion: '10.3.0',
    userId: users.adele,
    flaggedReasons: [],
    createdDateTime: '2024-02-02T11:11:11.1203456Z',
    lastSyncDateTime: '2024-09-30T20:20:48.6078132Z',
    version: '7',
    deviceManufacturer: 'samsung',
    deviceModel: 'SM-A546B',
    azureADDeviceId: '7b7f6e9d-f85e-46f1-981a-d4495b969932',
    managedDeviceId: null,
  }),
  ios({
    id: ids.meganIpadOutlook,
    app: 'com.microsoft.Office.Outlook',
    applicationVersion: '4.2435.0',
    deviceName: 'iPad (Megan Bowen)',
    deviceType: 'iPad',
    deviceTag: null,
    platformVersion: '17.6.1',
    managementSdkVersion: '19.6.0',
    userId: users.megan,
    flaggedReasons: [],
    createdDateTime: '2024-09-01T14:03:36.2417790Z',
    lastSyncDateTime: '2024-10-01T13:37:02.9190645Z',
    version: '1',
    deviceManufacturer: 'Apple',
    deviceModel: 'iPad13,18',
    azureADDeviceId: 'c42b355b-b34c-4019-9dbf-e94da6bd4777',
    managedDeviceId: 'c3eb2991-e8d7-42ef-9824-dd274b9a99d7',
  }),
];

export type GraphVersion = 'beta' | 'v1.0';

const BETA_ONLY_PROPERTIES = ['azureADDeviceId', 'deviceManufacturer', 'deviceModel', 'managedDeviceId', 'patchVersion'];
const V1_FLAGGED_REASONS = new Set(['none', 'rootedDevice']);

/** The registration as the given endpoint would serialize it: v1.0 lacks the beta-only properties and enum members. */
export function registrationFor(version: GraphVersion, registration: SampleRegistration): SampleRegistration {
  const copy = structuredClone(registration);
  if (version === 'beta') return copy;
  for (const name of BETA_ONLY_PROPERTIES) delete copy[name];
  if (Array.isArray(copy.flaggedReasons)) {
    copy.flaggedReasons = copy.flaggedReasons.filter((reason) => V1_FLAGGED_REASONS.has(String(reason)));
  }
  return copy;
}

const COMMON_PROPERTIES = [
  'id',
  'appIdentifier',
  'applicationVersion',
  'createdDateTime',
  'deviceName',
  'deviceTag',
  'deviceType',
  'flaggedReasons',
  'lastSyncDateTime',
  'managementSdkVersion',
  'platformVersion',
  'userId',
  'version',
];

/** Property names $select may name on each endpoint. */
export function registrationProperties(version: GraphVersion): string[] {
  return version === 'beta' ? [...COMMON_PROPERTIES, ...BETA_ONLY_PROPERTIES] : COMMON_PROPERTIES;
}
