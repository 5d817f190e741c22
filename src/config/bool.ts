/** A boolean environment variable: `true`/`1`/`yes` are true, `false`/`0`/`no` false; anything else is refused. */
import { z } from 'zod';

export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
