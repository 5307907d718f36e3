// Every analyzer rule, in the order of the catalogue (common/rules.ts).

import type { Rule } from '../rule';
import { goroutineBackground } from './goroutineBackground';
import { handlerRootContext, nonInheritedContext } from './nonInheritedContext';
import { contextNotPropagated } from './contextNotPropagated';
import { rootSpanInRequest } from './rootSpanInRequest';
import { spanContextDiscarded } from './spanContextDiscarded';
import { spanNotEnded } from './spanNotEnded';
import { sqlWithoutContext } from './sqlWithoutContext';
import { httpWithoutContext } from './httpWithoutContext';
import { callChainBreak } from './callChainBreak';
import { samplerNotParentBased } from './samplerNotParentBased';
import { contextInPool } from './contextInPool';
import { clientNotInstrumented, mixedPropagators, propagatorNotSet } from './propagation';

export const ALL_RULES: readonly Rule[] = [
  goroutineBackground, nonInheritedContext, handlerRootContext, contextNotPropagated, rootSpanInRequest,
  spanContextDiscarded, spanNotEnded, sqlWithoutContext, httpWithoutContext, callChainBreak, samplerNotParentBased,
  contextInPool, propagatorNotSet, clientNotInstrumented, mixedPropagators,
];
