/** Full-match detection of the five built-in types, used until the client's pattern table lands. */
import { IndicatorType } from '../core/enums.js';
import type { IndicatorDetector } from './context.js';

const IPV4 = /^(?:(?:\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])\.){3}(?:\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/;
const HASH = /^(?:[a-fA-F\d]{32}|[a-fA-F\d]{40}|[a-fA-F\d]{64})$/;
const URL_RE = /^(?:https?|sftp|ftp|file):\/\/[-a-zA-Z0-9+&@#/%?=~_|!:,.;'"*$()]*[a-zA-Z0-9+&@#/%=~_|?]$/;
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])$/i;
const HOST = /^(?:(?!-)[a-zA-Z0-9-]{1,63}(?<!-)\.)+[a-zA-Z]{2,13}$/;

export class InterimDetector implements IndicatorDetector {
  detect(value: string): Exclude<IndicatorType, 565> | undefined {
    if (HASH.test(value)) return IndicatorType.FILES;
    if (URL_RE.test(value)) return IndicatorType.URLS;
    if (IPV4.test(value) || (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value)))
      return IndicatorType.ADDRESSES;
    if (EMAIL.test(value)) return IndicatorType.EMAIL_ADDRESSES;
    if (HOST.test(value)) return IndicatorType.HOSTS;
    return undefined;
  }
}
