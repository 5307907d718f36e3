// Every analyzer rule, in the order their findings are reported.

import type { Rule } from '../rule';
import { goroutineBackground } from './goroutineBackground';

export const ALL_RULES: readonly Rule[] = [goroutineBackground];
