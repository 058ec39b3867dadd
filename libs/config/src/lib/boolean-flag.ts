/** An on/off environment variable, read alike by every app: 1, true, yes or on (any case) is on; anything else, or unset, is off. */
import { z } from 'zod';

export const booleanFlag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));
