// What the profile backends share: the request for a merged profile, the profile as it arrives, and the
// errors for a backend that has nothing for a query.

import { BackendError } from './backendError';
import type { ResolvedBackend } from './backendSource';
import type { ProfileTypeInfo } from './profileQuery';
import type { TimeRange } from './timeRange';

export interface ProfileRequest {
  /** A full type ID (`process_cpu:cpu:nanoseconds:cpu:nanoseconds`) or a short name the backend's types resolve (`cpu`). */
  readonly type: string;
  /** Label selector: `{service_name="checkout"}`. */
  readonly selector: string;
  readonly range: TimeRange;
}

export interface FetchedProfile {
  /** pprof protobuf as the backend sent it: gzipped (Parca) or not (Pyroscope). */
  readonly bytes: Uint8Array;
  readonly gzipped: boolean;
  readonly type: ProfileTypeInfo;
  readonly selector: string;
  readonly range: TimeRange;
  /** The number of samples, when the profile was small enough to be checked whole. */
  readonly sampleCount?: number;
  /** The URL that answered (credentials removed). */
  readonly url: string;
}

/** The raw merged profile a backend module returns; the Node client checks it before handing it on. */
export interface MergedProfile {
  readonly bytes: Uint8Array;
  readonly type: ProfileTypeInfo;
  readonly url: string;
}

function describeRange(range: TimeRange): string {
  return `${new Date(range.startMs).toISOString()} to ${new Date(range.endMs).toISOString()}`;
}

export function noProfiles(backend: ResolvedBackend, type: ProfileTypeInfo, selector: string, range: TimeRange, url: string): BackendError {
  return new BackendError(
    'no-data',
    `${backend.title} has no ${type.id} profiles matching ${selector} from ${describeRange(range)}. Check the selector's labels and values (list the values of service_name), choose another profile type, or widen the time range.`,
    { url },
  );
}
