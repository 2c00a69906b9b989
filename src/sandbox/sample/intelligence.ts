/**
 * The fixed indicator intelligence of the sample data (rest-api-v2.md 6.6): DNS resolutions of the
 * recorded and pool hosts, observations, false positives and file occurrences. All of it refers to
 * fixed indicators only, so it is identical for every n and changes no other record.
 */
import type { SampleBuilder } from './builder.js';
import { MAIN_USER } from './constants.js';

/** Observers besides the sandbox's own API user (real instances count every user's observations). */
export const SENSOR_USERS = ['sensor.alpha', 'sensor.beta'] as const;

/** Host id, resolution date, address ids. 100020 (a pool host) has none; 100010 resolves across owners. */
const RESOLUTIONS: readonly (readonly [number, string, readonly number[]])[] = [
  [100000, '2015-06-02T08:00:00Z', [100001, 100006]],
  [100000, '2015-06-03T08:00:00Z', [100016]],
  [100005, '2015-06-07T08:00:00Z', [100006]],
  [100010, '2015-06-12T08:00:00Z', [100011, 356001]],
  [100015, '2015-06-16T08:00:00Z', [100016, 100021]],
  [355999, '2015-06-19T12:00:00Z', [356001]],
  [355999, '2015-06-20T12:00:00Z', [100001, 356001]],
];

/** Indicator id, user, day, count, last observed; sorted by indicator, user, day. */
const OBSERVATIONS: readonly (readonly [number, string, string, number, string])[] = [
  [100000, MAIN_USER.userName, '2015-06-02', 1, '2015-06-02T09:30:00Z'],
  [100011, 'sensor.beta', '2015-06-12', 2, '2015-06-12T10:00:00Z'],
  [355999, 'sensor.alpha', '2015-06-21', 5, '2015-06-21T16:45:00Z'],
  [356000, MAIN_USER.userName, '2015-06-19', 4, '2015-06-19T15:00:00Z'],
  [356001, MAIN_USER.userName, '2015-06-19', 3, '2015-06-19T14:00:00Z'],
  [356001, MAIN_USER.userName, '2015-06-20', 1, '2015-06-20T08:15:00Z'],
  [356001, 'sensor.alpha', '2015-06-19', 2, '2015-06-19T11:20:00Z'],
];

/** Indicator id, user, report time; sorted by indicator, then time. */
const FALSE_POSITIVES: readonly (readonly [number, string, string])[] = [
  [100000, 'sensor.alpha', '2015-06-05T10:00:00Z'],
  [100000, 'sensor.beta', '2015-06-06T10:00:00Z'],
  [355999, 'sensor.beta', '2015-06-22T09:00:00Z'],
];

/** Ids 1..4: file 356002 has two occurrences, one without a date; 100007 one with a path only. */
const FILE_OCCURRENCES = [
  {
    indicatorId: 356002,
    fileName: 'invoice.pdf.exe',
    path: 'C:\\Users\\jdoe\\Downloads',
    date: '2015-06-17T13:00:00Z',
  },
  { indicatorId: 356002, fileName: 'svchost.exe', path: 'C:\\Windows\\Temp' },
  { indicatorId: 100002, fileName: 'pool02.bin', path: '/tmp', date: '2015-06-03T08:02:00Z' },
  { indicatorId: 100007, path: '/var/tmp' },
] as const;

/** Adds the fixed intelligence records to the builder. */
export function addFixedIntelligence(b: SampleBuilder): void {
  let id = 0;
  for (const [hostId, resolutionDate, addresses] of RESOLUTIONS) {
    for (const addressId of addresses) {
      id += 1;
      b.dnsResolutions.push({ id, hostId, addressId, resolutionDate });
    }
  }
  for (const [indicatorId, userName, dateObserved, count, lastObserved] of OBSERVATIONS)
    b.observations.push({ indicatorId, userName, dateObserved, count, lastObserved });
  for (const [indicatorId, userName, reported] of FALSE_POSITIVES)
    b.falsePositives.push({ indicatorId, userName, reported });
  FILE_OCCURRENCES.forEach((occurrence, i) => {
    b.fileOccurrences.push({ id: i + 1, ...occurrence });
  });
}
