import * as z from 'zod/v4/core'; globalThis.x = z;
