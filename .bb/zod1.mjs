import { z } from 'zod'; globalThis.x = z.object({a: z.string().regex(/x/), b: z.enum(['a','b'])});
