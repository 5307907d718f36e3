// profile.proto (package perftools.profiles), as published with google/pprof, in protobufjs's JSON form.
// It is the single statement of the wire layout: `encode.ts` writes profiles with it, and the tests decode
// every fixture with it to check the hand-written sample decoder in `decode.ts` field by field.

import * as protobuf from 'protobufjs/light';

const schema = {
  nested: {
    perftools: {
      nested: {
        profiles: {
          nested: {
            Profile: {
              fields: {
                sampleType: { rule: 'repeated', type: 'ValueType', id: 1 },
                sample: { rule: 'repeated', type: 'Sample', id: 2 },
                mapping: { rule: 'repeated', type: 'Mapping', id: 3 },
                location: { rule: 'repeated', type: 'Location', id: 4 },
                function: { rule: 'repeated', type: 'Function', id: 5 },
                stringTable: { rule: 'repeated', type: 'string', id: 6 },
                dropFrames: { type: 'int64', id: 7 },
                keepFrames: { type: 'int64', id: 8 },
                timeNanos: { type: 'int64', id: 9 },
                durationNanos: { type: 'int64', id: 10 },
                periodType: { type: 'ValueType', id: 11 },
                period: { type: 'int64', id: 12 },
                comment: { rule: 'repeated', type: 'int64', id: 13 },
                defaultSampleType: { type: 'int64', id: 14 },
                docUrl: { type: 'int64', id: 15 },
              },
            },
            ValueType: {
              fields: {
                type: { type: 'int64', id: 1 },
                unit: { type: 'int64', id: 2 },
              },
            },
            Sample: {
              fields: {
                locationId: { rule: 'repeated', type: 'uint64', id: 1 },
                value: { rule: 'repeated', type: 'int64', id: 2 },
                label: { rule: 'repeated', type: 'Label', id: 3 },
              },
            },
            Label: {
              fields: {
                key: { type: 'int64', id: 1 },
                str: { type: 'int64', id: 2 },
                num: { type: 'int64', id: 3 },
                numUnit: { type: 'int64', id: 4 },
              },
            },
            Mapping: {
              fields: {
                id: { type: 'uint64', id: 1 },
                memoryStart: { type: 'uint64', id: 2 },
                memoryLimit: { type: 'uint64', id: 3 },
                fileOffset: { type: 'uint64', id: 4 },
                filename: { type: 'int64', id: 5 },
                buildId: { type: 'int64', id: 6 },
                hasFunctions: { type: 'bool', id: 7 },
                hasFilenames: { type: 'bool', id: 8 },
                hasLineNumbers: { type: 'bool', id: 9 },
                hasInlineFrames: { type: 'bool', id: 10 },
              },
            },
            Location: {
              fields: {
                id: { type: 'uint64', id: 1 },
                mappingId: { type: 'uint64', id: 2 },
                address: { type: 'uint64', id: 3 },
                line: { rule: 'repeated', type: 'Line', id: 4 },
                isFolded: { type: 'bool', id: 5 },
              },
            },
            Line: {
              fields: {
                functionId: { type: 'uint64', id: 1 },
                line: { type: 'int64', id: 2 },
                column: { type: 'int64', id: 3 },
              },
            },
            Function: {
              fields: {
                id: { type: 'uint64', id: 1 },
                name: { type: 'int64', id: 2 },
                systemName: { type: 'int64', id: 3 },
                filename: { type: 'int64', id: 4 },
                startLine: { type: 'int64', id: 5 },
              },
            },
          },
        },
      },
    },
  },
};

let root: protobuf.Root | undefined;

/** The protobufjs type of a message in profile.proto: 'Profile', 'Sample', 'Location', … */
export function profileMessageType(name: 'Profile' | 'ValueType' | 'Sample' | 'Label' | 'Mapping' | 'Location' | 'Line' | 'Function'): protobuf.Type {
  root ??= protobuf.Root.fromJSON(schema);
  return root.lookupType(`perftools.profiles.${name}`);
}
