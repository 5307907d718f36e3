// Which tint a line gets: five levels on a logarithmic scale of its share of the profile's total, so a
// line with 40% and one with 2% look clearly different while 0.5% still shows. Pure, so it is unit-tested.

/** Lower bounds of levels 1..5 (shares of the total). */
export const HEAT_LEVEL_BOUNDS = [0, 0.01, 0.03, 0.1, 0.3] as const;

/** 0-based level (0..4) of a share in 0..1. */
export function heatLevel(share: number): number {
  let level = 0;
  for (let i = 1; i < HEAT_LEVEL_BOUNDS.length; i++) if (share >= HEAT_LEVEL_BOUNDS[i]!) level = i;
  return level;
}
