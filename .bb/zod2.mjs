import * as z from 'zod/mini'; globalThis.x = z.object({a: z.string().check(z.regex(/x/)), b: z.enum(['a','b'])});
