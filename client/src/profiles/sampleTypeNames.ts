// What each Go sample type measures, in words, for the sample-type picker. Pure.

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  cpu: 'CPU time',
  samples: 'CPU samples',
  alloc_space: 'bytes allocated',
  alloc_objects: 'objects allocated',
  inuse_space: 'bytes in use',
  inuse_objects: 'objects in use',
  contentions: 'lock contentions (how often)',
  delay: 'time spent waiting',
  goroutine: 'goroutines',
  goroutines: 'goroutines',
  threadcreate: 'threads created',
};

export function describeSampleType(type: { type: string; unit: string }): string {
  return `${DESCRIPTIONS[type.type] ?? type.type} (${type.unit})`;
}
