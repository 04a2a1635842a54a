import * as x from 'zod/mini'; globalThis.x=x;
